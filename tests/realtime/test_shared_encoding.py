"""A broadcast is encoded once per kind of client, and each kind still gets its own frame."""

from __future__ import annotations

import json
from typing import Any

from app.realtime import service
from app.realtime.gateway import Channel, ClientConnection, Gateway
from app.realtime.hub import Hub, Message
from app.realtime.protocol import VSN_1, VSN_2


def joined(gateway: Gateway, vsn: str, topic: str = "municipality:t") -> ClientConnection:
    conn = ClientConnection(None, gateway, vsn=vsn, apikey="")  # type: ignore[arg-type]
    channel = Channel(conn, f"realtime:{topic}", topic, "1", True, "token", {},
                      service.Access(read=True, write=False))
    gateway.hub.subscribe(channel)
    return conn


def queued(conn: ClientConnection) -> list[str]:
    found: list[str] = []
    while not conn._queue.empty():
        item = conn._queue.get_nowait()
        assert item is not None
        found.append(item)
    return found


def test_clients_of_one_kind_share_one_encoded_frame() -> None:
    gateway = Gateway(hub=Hub(), pool=None, verifier=None)  # type: ignore[arg-type]
    v2a, v2b, v1 = joined(gateway, VSN_2), joined(gateway, VSN_2), joined(gateway, VSN_1)
    other = joined(gateway, VSN_2, topic="municipality:other")
    payload: dict[str, Any] = {"tracking_number": "TKT-1", "status": "open"}
    gateway.hub.publish(Message(id="m1", topic="municipality:t", event="ticket_changed",
                                payload=payload, private=True))
    [a], [b], [c] = queued(v2a), queued(v2b), queued(v1)
    assert a is b  # the same string object: encoded once
    assert json.loads(a) == [None, None, "realtime:municipality:t", "broadcast",
                             {"type": "broadcast", "event": "ticket_changed",
                              "payload": payload, "meta": {"id": "m1"}}]
    assert json.loads(c)["payload"]["payload"] == payload and json.loads(c)["topic"] == \
        "realtime:municipality:t"
    assert queued(other) == []


def test_per_client_encoding_can_be_chosen_for_comparison() -> None:
    gateway = Gateway(hub=Hub(), pool=None, verifier=None,  # type: ignore[arg-type]
                      shared_encoding=False)
    first, second = joined(gateway, VSN_2), joined(gateway, VSN_2)
    gateway.hub.publish(Message(id="m2", topic="municipality:t", event="e", payload={},
                                private=True))
    [a], [b] = queued(first), queued(second)
    assert a == b and a is not b
