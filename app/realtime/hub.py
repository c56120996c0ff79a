"""Fan-out: committed messages to the channels subscribed to their topic.

Delivery only ever enqueues (each client has its own queue and sender), so
one slow client never delays the others.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    id: str
    topic: str
    event: str
    payload: Any
    private: bool
    inserted_at: datetime | None = None
    # Frames as sent, by (topic, protocol version): a broadcast to a thousand
    # clients is encoded once per kind of client, not once per client.
    encoded: dict[tuple[str, str], str] = field(
        default_factory=dict, compare=False, repr=False, hash=False)
    # The same as WebSocket frames, for the clients written to directly (wire.py).
    framed: dict[tuple[str, str], bytes] = field(
        default_factory=dict, compare=False, repr=False, hash=False)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Message:
        payload = row.get("payload")
        if isinstance(payload, str):
            payload = json.loads(payload)
        inserted = row.get("inserted_at")
        if isinstance(inserted, str):
            inserted = datetime.fromisoformat(inserted)
        return cls(
            id=str(row["id"]), topic=str(row["topic"]), event=str(row.get("event") or ""),
            payload=payload, private=bool(row.get("private")), inserted_at=inserted,
        )


class Subscriber(Protocol):
    """A joined channel: told about every message on its topic."""

    sub_topic: str
    private: bool

    def deliver(self, message: Message) -> None: ...


class Hub:
    def __init__(self) -> None:
        self._by_topic: dict[str, set[Subscriber]] = defaultdict(set)
        self.delivered = 0

    def subscribe(self, subscriber: Subscriber) -> None:
        self._by_topic[subscriber.sub_topic].add(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        subscribers = self._by_topic.get(subscriber.sub_topic)
        if subscribers is None:
            return
        subscribers.discard(subscriber)
        if not subscribers:
            del self._by_topic[subscriber.sub_topic]

    def subscriber_count(self) -> int:
        return sum(len(s) for s in self._by_topic.values())

    def publish(self, message: Message) -> None:
        """Private messages reach private channels, public ones public channels."""
        for subscriber in list(self._by_topic.get(message.topic, ())):
            if subscriber.private == message.private:
                subscriber.deliver(message)
                self.delivered += 1
