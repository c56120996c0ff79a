"""Broadcast frames go straight to the sockets (app/realtime/wire.py): the bytes are
what the WebSocket library would send, clients get every event in order, and the
join reply still comes first."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets
from websockets.frames import Frame, Opcode

from app.main import create_app
from app.realtime import wire
from tests.realtime.support import send, ticket_event
from tests.support.server import LiveServer
from tests.support.tenants import Tenant


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 200_000])
def test_a_frame_is_the_bytes_the_websocket_library_would_send(size: int) -> None:
    text = "é" * (size // 2) + "x" * (size % 2)
    expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
    assert wire.text_frame(text) == expected


async def test_broadcasts_are_written_straight_to_the_socket_in_order(
    settings, database_url: str, tenant: Tenant
) -> None:
    app = create_app(settings)
    server = LiveServer(app).start()
    try:
        url = (f"ws://127.0.0.1:{server.port}/realtime/v1/websocket"
               f"?apikey={settings.supabase_anon_key}&vsn=2.0.0")
        topic = f"municipality:{tenant.id}"
        async with websockets.connect(url, compression=None) as ws:
            await ws.send(json.dumps(["1", "1", f"realtime:{topic}", "phx_join", {
                "config": {"private": True}, "access_token": tenant.tokens["manager"]}]))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert reply[3] == "phx_reply" and reply[4]["status"] == "ok"
            events = [ticket_event(seq=i) for i in range(5)]
            for event in events:
                await send(database_url, topic, event)
            received = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in events]
        assert [frame[4]["payload"] for frame in received] == events
        assert all(frame[3] == "broadcast" for frame in received)
        assert app.state.realtime.written_directly >= len(events)
    finally:
        server.stop()


async def test_a_compressed_connection_is_served_through_asgi(
    settings, database_url: str, tenant: Tenant
) -> None:
    """A client that negotiated per-message deflate gets compressed frames, not raw ones."""
    app = create_app(settings)
    server = LiveServer(app).start()
    try:
        url = (f"ws://127.0.0.1:{server.port}/realtime/v1/websocket"
               f"?apikey={settings.supabase_anon_key}&vsn=2.0.0")
        topic = f"municipality:{tenant.id}"
        async with websockets.connect(url, compression="deflate") as ws:
            await ws.send(json.dumps(["1", "1", f"realtime:{topic}", "phx_join", {
                "config": {"private": True}, "access_token": tenant.tokens["manager"]}]))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))[4]["status"] == "ok"
            event = ticket_event()
            await send(database_url, topic, event)
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert frame[4]["payload"] == event
        assert app.state.realtime.written_directly == 0
    finally:
        server.stop()
