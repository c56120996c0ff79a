"""The inbound WhatsApp webhook: Twilio posts a citizen's message, we answer in TwiML.

Signed by Twilio (checked in app.notify.twilio) and run as the service role
(`ServiceDB`): the sender is Twilio, not a signed-in user, and the
conversation needs to find or create the citizen.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from twilio.twiml.messaging_response import MessagingResponse

from app.auth import ServiceDB
from app.config import channel_settings
from app.notify.twilio import SignedForm
from app.whatsapp import service
from app.whatsapp.schemas import parse_inbound

router = APIRouter(prefix="/webhooks/twilio", tags=["webhooks"])


@router.post(
    "/whatsapp",
    summary="Inbound WhatsApp message (Twilio webhook); replies with TwiML",
    responses={400: {"description": "Not a WhatsApp message we can read"},
               403: {"description": "Missing or invalid X-Twilio-Signature"},
               404: {"description": "No municipality receives messages on this number"},
               413: {"description": "Body too large"}},
)
async def whatsapp_inbound(form: SignedForm, db: ServiceDB) -> Response:
    reply = await service.handle_inbound(db, msg=parse_inbound(form),
                                         settings=channel_settings())
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return Response(str(twiml), media_type="application/xml")
