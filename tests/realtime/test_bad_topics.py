"""A topic no channel can have (NUL, lone surrogate, too long) gets an error reply;
the socket stays up for the caller's other channels."""

from __future__ import annotations

import json
from typing import Any

import pytest
import websockets

from tests.support.tenants import Tenant


@pytest.mark.parametrize("topic", [
    "realtime:municipality:\u0000", "realtime:gbv:\ud800", "realtime:" + "x" * 300,
])
async def test_a_bad_topic_is_refused_and_the_socket_lives_on(
    live_server: Any, settings: Any, tenant: Tenant, topic: str
) -> None:
    url = (live_server.base_url.replace("http", "ws", 1)
           + f"/realtime/v1/websocket?apikey={settings.supabase_anon_key}&vsn=1.0.0")
    payload = {"config": {"private": True}, "access_token": tenant.tokens["manager"]}
    async with websockets.connect(url) as ws:
        frame = json.dumps({"topic": topic, "event": "phx_join", "payload": payload,
                            "ref": "1", "join_ref": "1"}, ensure_ascii=True)
        await ws.send(frame)
        reply = json.loads(await ws.recv())
        assert reply["event"] == "phx_reply" and reply["payload"]["status"] == "error"
        good = f"realtime:municipality:{tenant.id}"
        await ws.send(json.dumps({"topic": good, "event": "phx_join", "payload": payload,
                                  "ref": "2", "join_ref": "2"}))
        joined = json.loads(await ws.recv())
        while joined.get("ref") != "2":
            joined = json.loads(await ws.recv())
        assert joined["payload"]["status"] == "ok", joined
