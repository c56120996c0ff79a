"""The inbound WhatsApp webhook: Twilio posts a citizen's message, we answer in TwiML.

Signed by Twilio (checked in app.notify.twilio) and run as the service role
(`ServiceDB`): the sender is Twilio, not a signed-in user, and the
conversation needs to find or create the citizen.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from app.auth import ServiceDB
from app.config import channel_settings
from app.notify.twilio import SignedForm, make_client
from app.whatsapp import interactive, service
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
async def whatsapp_inbound(form: SignedForm, db: ServiceDB, request: Request) -> Response:
    sender = interactive.twilio_sender(twilio_client(request))
    reply = await service.handle_inbound(db, msg=parse_inbound(form),
                                         settings=channel_settings(), sender=sender)
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return Response(str(twiml), media_type="application/xml")


def twilio_client(request: Request) -> Client:
    """The app's Twilio REST client (for interactive replies), made once."""
    client: Client | None = getattr(request.app.state, "whatsapp_client", None)
    if client is None:
        client = make_client(request.app.state.settings, timeout=5.0)
        request.app.state.whatsapp_client = client
    return client
