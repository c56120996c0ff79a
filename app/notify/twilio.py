"""Everything Twilio: the REST client (pointed at TWILIO_API_BASE_URL when one is
set) and the signature check on the webhooks Twilio calls."""

from __future__ import annotations

import logging
import re
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from app.config import Settings, channel_settings
from app.errors import DomainError, Forbidden
from app.streams import read_capped
from app.telemetry import metrics

log = logging.getLogger("salga.twilio")

SID = re.compile(r"^[A-Za-z0-9]{10,64}$")  # a Twilio MessageSid
TWILIO_HOST = re.compile(r"^https://[a-z0-9.-]*\.twilio\.com")


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, sending to another base URL (a proxy or a stand-in)."""

    def __init__(self, base_url: str, *, timeout: float) -> None:
        super().__init__(timeout=timeout, pool_connections=True)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if self.base_url:
            url = TWILIO_HOST.sub(self.base_url, url)
        return super().request(method, url, *args, **kwargs)


def make_client(settings: Settings, *, timeout: float = 10.0) -> Client:
    http_client = BaseUrlHttpClient(settings.twilio_api_base_url, timeout=timeout)
    return Client(settings.twilio_account_sid, settings.twilio_auth_token,
                  http_client=http_client)


def status_callback_url(settings: Settings) -> str:
    return settings.public_base_url.rstrip("/") + "/webhooks/twilio/status"


# ---- requests Twilio sends us --------------------------------------------------------------

async def signed_form(request: Request) -> dict[str, str]:
    """The form fields of a request Twilio signed (X-Twilio-Signature, checked with the
    SDK's RequestValidator against PUBLIC_BASE_URL + path); 403 for anything else."""
    settings = request.app.state.settings
    body = await read_capped(request.stream(), limit=channel_settings().max_body_bytes,
                             declared=request.headers.get("content-length"))
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                              strict_parsing=False, max_num_fields=200))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError("body is not a form", 400) from exc
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("x-twilio-signature", "")
    validator = RequestValidator(settings.twilio_auth_token)
    if not signature or not validator.validate(url, form, signature):
        log.warning("rejected unsigned or forged Twilio request to %s", request.url.path)
        metrics.webhook_failed("signature")
        raise Forbidden("invalid Twilio signature")
    return form


SignedForm = Annotated[dict[str, str], Depends(signed_form)]
