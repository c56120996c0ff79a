"""Twilio webhooks: inbound WhatsApp messages and delivery status callbacks.

Both are signed by Twilio (X-Twilio-Signature, checked with the SDK's
RequestValidator against PUBLIC_BASE_URL + path) and run as the service role
(`ServiceDB`): the sender is Twilio, not a signed-in user, and the
conversation needs to find or create the citizen.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from app.auth import ServiceDB
from app.notify import repository as notify_repo
from app.observability import metrics
from app.whatsapp import service
from app.whatsapp.schemas import SID, InvalidInbound, parse_inbound
from app.whatsapp.settings import channel_settings

log = logging.getLogger("salga.whatsapp")
router = APIRouter(prefix="/webhooks/twilio", tags=["webhooks"])


async def read_capped_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(413, "request body is too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, "request body is too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def signed_form(request: Request) -> dict[str, str]:
    """The form fields of a request Twilio signed; 403 for anything else."""
    settings = request.app.state.settings
    body = await read_capped_body(request, channel_settings().max_body_bytes)
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                              strict_parsing=False, max_num_fields=200))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, "body is not a form") from exc
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("x-twilio-signature", "")
    validator = RequestValidator(settings.twilio_auth_token)
    if not signature or not validator.validate(url, form, signature):
        log.warning("rejected unsigned or forged Twilio request to %s", request.url.path)
        metrics.webhook_failed("signature")
        raise HTTPException(403, "invalid Twilio signature")
    return form


SignedForm = Annotated[dict[str, str], Depends(signed_form)]


@router.post(
    "/whatsapp",
    summary="Inbound WhatsApp message (Twilio webhook); replies with TwiML",
    responses={400: {"description": "Not a WhatsApp message we can read"},
               403: {"description": "Missing or invalid X-Twilio-Signature"},
               404: {"description": "No municipality receives messages on this number"},
               413: {"description": "Body too large"}},
)
async def whatsapp_inbound(form: SignedForm, db: ServiceDB) -> Response:
    try:
        msg = parse_inbound(form)
        reply = await service.handle_inbound(db, msg=msg, settings=channel_settings())
    except InvalidInbound as exc:
        raise HTTPException(400, str(exc)) from exc
    except service.UnknownNumber as exc:
        raise HTTPException(404, "no municipality receives messages on this number") from exc
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return Response(str(twiml), media_type="application/xml")


@router.post(
    "/status",
    status_code=204,
    summary="Delivery status callback for a message we sent (Twilio webhook)",
    responses={400: {"description": "MessageSid or MessageStatus missing"},
               403: {"description": "Missing or invalid X-Twilio-Signature"}},
)
async def delivery_status(form: SignedForm, db: ServiceDB) -> Response:
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
    if not SID.match(sid) or not status.isalpha() or len(status) > 32:
        raise HTTPException(400, "MessageSid and MessageStatus are required")
    await notify_repo.record_delivery_status(
        db, message_sid=sid, status=status, error_code=(form.get("ErrorCode") or None))
    return Response(status_code=204)
