"""Phoenix channel frames as Supabase Realtime speaks them.

vsn 1.0.0: JSON objects `{topic, event, payload, ref, join_ref}`.
vsn 2.0.0: JSON arrays `[join_ref, ref, topic, event, payload]` (text frames;
the binary user-broadcast frames of 2.0.0 are only for client pushes, which
private ticket channels do not accept).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

VSN_1 = "1.0.0"
VSN_2 = "2.0.0"
SUPPORTED_VSN = (VSN_1, VSN_2)

PHOENIX_TOPIC = "phoenix"
TOPIC_PREFIX = "realtime:"


class ProtocolError(ValueError):
    """A frame we cannot read."""


@dataclass(frozen=True)
class Frame:
    topic: str
    event: str
    payload: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None
    join_ref: str | None = None


def decode(text: str, vsn: str) -> Frame:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ProtocolError("frame is not JSON") from exc
    if vsn == VSN_2:
        if not isinstance(raw, list) or len(raw) != 5:
            raise ProtocolError("a 2.0.0 frame is a five-element array")
        join_ref, ref, topic, event, payload = raw
    else:
        if not isinstance(raw, dict):
            raise ProtocolError("a 1.0.0 frame is an object")
        join_ref, ref = raw.get("join_ref"), raw.get("ref")
        topic, event, payload = raw.get("topic"), raw.get("event"), raw.get("payload")
    if not isinstance(topic, str) or not isinstance(event, str):
        raise ProtocolError("frame needs a topic and an event")
    return Frame(
        topic=topic,
        event=event,
        payload=payload if isinstance(payload, dict) else {},
        ref=None if ref is None else str(ref),
        join_ref=None if join_ref is None else str(join_ref),
    )


def encode(frame: Frame, vsn: str) -> str:
    if vsn == VSN_2:
        return json.dumps([frame.join_ref, frame.ref, frame.topic, frame.event, frame.payload])
    return json.dumps({
        "topic": frame.topic, "event": frame.event, "payload": frame.payload,
        "ref": frame.ref, "join_ref": frame.join_ref,
    })


def reply(request: Frame, status: str, response: dict[str, Any] | None = None) -> Frame:
    """The `phx_reply` to a client push."""
    return Frame(
        topic=request.topic,
        event="phx_reply",
        payload={"status": status, "response": response or {}},
        ref=request.ref,
        join_ref=request.join_ref,
    )


def sub_topic(topic: str) -> str | None:
    """`realtime:municipality:x` → `municipality:x`; None for topics outside realtime and
    for topics no channel can have (NUL, lone surrogates, over 255 characters)."""
    if not topic.startswith(TOPIC_PREFIX) or len(topic) > 255 or "\x00" in topic:
        return None
    if not topic.isprintable() or any("\ud800" <= ch <= "\udfff" for ch in topic):
        return None
    return topic[len(TOPIC_PREFIX):]
