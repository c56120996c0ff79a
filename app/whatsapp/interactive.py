"""Replies as WhatsApp interactive messages: reply buttons and list messages.

When a reply asks one of the conversation's questions (the language, yes/no, the
category), it is sent through Twilio's Messages API with the Content API
template made for that question in the person's language (ContentSid), the
reply's own text as its body ({{1}}): the text still comes from the message
library, the buttons only add a tap. A reply always answers a message the
person just sent, so it is inside WhatsApp's 24-hour session window, the only
place list messages and reply buttons may be used. A tapped button arrives as
its id (ButtonPayload / ListId), which is the answer a person would type, so
typed answers work exactly as before. When the template is missing, the text is
too long for an interactive body, or Twilio cannot be reached, the reply goes
back as plain text in the webhook's answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import requests
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from app.templates.render import Library

log = logging.getLogger("salga.whatsapp")

LANGUAGE, YES_NO, CATEGORIES = ("interactive_language", "interactive_yes_no",
                                "interactive_categories")
# The library text that asks each question -> the template that offers its answers.
ASKED_BY = {
    "choose_language": LANGUAGE, "menu": CATEGORIES,
    "consent_notice": YES_NO, "sensitive_consent": YES_NO, "confirm": YES_NO,
    "confirm_sensitive": YES_NO, "duplicate_offer": YES_NO,
}
MAX_BODY = 1024  # WhatsApp's limit for the body of a list message or reply buttons


@dataclass(frozen=True)
class Interactive:
    content_sid: str
    variables: dict[str, str]


Sender = Callable[[str, str, Interactive], Awaitable[str | None]]


def question_of(lib: Library) -> str | None:
    """The template for the last question this reply asked, if it asked one."""
    keys = lib.derived.get("keys_by_id")
    if keys is None:
        keys = lib.derived["keys_by_id"] = {v.id: v.key for v in lib.texts.values()}
    for used in reversed(lib.used):
        purpose = ASKED_BY.get(keys.get(used, ""))
        if purpose is not None:
            return purpose
    return None


def prepare(contents: dict[str, str], *, lib: Library, reply: str, language: str
            ) -> Interactive | None:
    """The interactive form of `reply`, or None when it goes as plain text. `contents`:
    the ContentSids made, by "purpose language" (English stands in for a language
    that has none)."""
    purpose = question_of(lib)
    if purpose is None or not reply or len(reply) > MAX_BODY:
        return None
    content_sid = contents.get(f"{purpose} {language}") or contents.get(f"{purpose} en")
    if content_sid is None:
        return None
    return Interactive(content_sid=content_sid, variables={"1": reply})


def send(client: Client, *, to: str, sender: str, message: Interactive) -> str:
    """Send through the Messages API; returns the MessageSid."""
    sent = client.messages.create(
        to=f"whatsapp:{to}", from_=f"whatsapp:{sender}", content_sid=message.content_sid,
        content_variables=json.dumps(message.variables))
    return str(sent.sid)


def twilio_sender(client: Client) -> Sender:
    """A Sender over `client`: the MessageSid, or None when Twilio could not take it."""
    async def deliver(to: str, sender: str, message: Interactive) -> str | None:
        try:
            return await asyncio.to_thread(send, client, to=to, sender=sender, message=message)
        except (TwilioException, requests.RequestException, OSError) as exc:
            log.warning("interactive reply not sent, answering in text: %s", exc)
            return None
    return deliver
