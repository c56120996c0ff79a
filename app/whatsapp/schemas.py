"""What Twilio posts to the WhatsApp webhook, checked and normalised."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.errors import DomainError
from app.identity.service import IdentityError, normalise_phone
from app.notify.twilio import SID

MAX_BODY_CHARS = 4096
MAX_MEDIA = 10


class InvalidInbound(DomainError):
    """The request is not a WhatsApp message we can take (400); the message says why."""

    status = 400


@dataclass
class Inbound:
    message_sid: str
    from_phone: str
    to_phone: str
    body: str = ""
    media_urls: list[str] = field(default_factory=list)
    # MediaContentType{i}: what Twilio says each file is ("" when it did not say).
    media_types: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None


def _phone(form: Mapping[str, str], name: str) -> str:
    raw = form.get(name, "")
    if not raw:
        raise InvalidInbound(f"{name} is required")
    try:
        phone = normalise_phone(raw)
    except IdentityError as exc:
        raise InvalidInbound(f"{name} is not a phone number") from exc
    assert phone is not None
    return phone


def _coordinate(form: Mapping[str, str], name: str, limit: float) -> float | None:
    raw = form.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise InvalidInbound(f"{name} is not a number") from exc
    if not -limit <= value <= limit:
        raise InvalidInbound(f"{name} is out of range")
    return value


def parse_inbound(form: Mapping[str, str]) -> Inbound:
    """The message in Twilio's form fields (unknown extra fields are ignored)."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    if not SID.match(sid):
        raise InvalidInbound("MessageSid is missing or malformed")
    body = form.get("Body", "")
    if len(body) > MAX_BODY_CHARS:
        raise InvalidInbound("Body is too long")
    try:
        num_media = int(form.get("NumMedia") or 0)
    except ValueError as exc:
        raise InvalidInbound("NumMedia is not a number") from exc
    if not 0 <= num_media <= MAX_MEDIA:
        raise InvalidInbound("NumMedia is out of range")
    urls = []
    for index in range(num_media):
        url = form.get(f"MediaUrl{index}", "")
        if not url.startswith(("https://", "http://")) or len(url) > 2048:
            raise InvalidInbound(f"MediaUrl{index} is missing or not a URL")
        urls.append(url)
    types = [(form.get(f"MediaContentType{i}") or "").strip().lower()[:100]
             for i in range(num_media)]
    latitude = _coordinate(form, "Latitude", 90)
    longitude = _coordinate(form, "Longitude", 180)
    if (latitude is None) != (longitude is None):
        raise InvalidInbound("Latitude and Longitude come together")
    address = (form.get("Address") or "").strip()[:500] or None
    return Inbound(
        message_sid=sid, from_phone=_phone(form, "From"), to_phone=_phone(form, "To"),
        body=answer(form, body).replace("\x00", "").strip(), media_urls=urls,
        media_types=types, latitude=latitude, longitude=longitude, address=address)


def answer(form: Mapping[str, str], body: str) -> str:
    """The answer a tapped reply button (ButtonPayload) or list item (ListId) stands for:
    its id, which is what the person would have typed; else the typed Body."""
    for name in ("ButtonPayload", "ListId"):
        payload = (form.get(name) or "").strip()
        if payload and len(payload) <= 200:
            return payload
    return body
