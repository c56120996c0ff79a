"""The twilio REST client, pointed at TWILIO_API_BASE_URL when one is set."""

from __future__ import annotations

import re
from typing import Any

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from app.config import Settings

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
