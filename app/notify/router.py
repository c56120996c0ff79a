"""Delivery status callbacks for messages we sent (a Twilio webhook, signed)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.auth import ServiceDB
from app.errors import DomainError
from app.notify import repository
from app.notify.twilio import SID, SignedForm

router = APIRouter(prefix="/webhooks/twilio", tags=["webhooks"])


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
        raise DomainError("MessageSid and MessageStatus are required", 400)
    await repository.record_delivery_status(
        db, message_sid=sid, status=status, error_code=(form.get("ErrorCode") or None))
    return Response(status_code=204)
