"""One slow client does not delay the others: a raw WebSocket client joins a
channel and then stops reading, with a tiny receive buffer, while megabytes of
broadcasts pile up for it; a supabase-js client on the same channel still gets
every message, and the slow one later gets them all too, in order."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from psycopg import AsyncConnection

from app.config import Settings
from tests.realtime.support import NodeSubscriber
from tests.support.server import LiveServer
from tests.support.tenants import Tenant

MESSAGES = 200
BLOB = "x" * 64_000  # 200 x 64 kB: far more than the server's and client's socket buffers


class RawClient:
    """A Phoenix (vsn 1.0.0) client on a plain socket that reads only when told to."""

    def __init__(self, base_url: str, apikey: str) -> None:
        url = urlsplit(base_url)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect
        self.sock.connect((url.hostname, url.port))
        self.sock.settimeout(30)
        self._buffer = b""
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET /realtime/v1/websocket?apikey={apikey}&vsn=1.0.0 HTTP/1.1\r\n"
            f"Host: {url.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = self._until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head

    def _until(self, marker: bytes) -> bytes:
        while marker not in self._buffer:
            self._fill()
        head, self._buffer = self._buffer.split(marker, 1)
        return head

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise AssertionError("the gateway closed the slow client's socket")
        self._buffer += chunk

    def _take(self, n: int) -> bytes:
        while len(self._buffer) < n:
            self._fill()
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode()
        mask = os.urandom(4)
        size = len(data)
        header = bytes([0x81]) + (bytes([0x80 | size]) if size < 126
                                  else bytes([0x80 | 126]) + size.to_bytes(2, "big"))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def receive(self) -> dict[str, Any]:
        """The next text frame (server frames are unmasked)."""
        first, second = self._take(2)
        size = second & 0x7F
        if size == 126:
            size = int.from_bytes(self._take(2), "big")
        elif size == 127:
            size = int.from_bytes(self._take(8), "big")
        payload = self._take(size)
        assert first & 0x0F == 0x1, f"expected a text frame, got opcode {first & 0x0F}"
        return dict(json.loads(payload))

    def close(self) -> None:
        self.sock.close()


async def test_a_client_that_stops_reading_does_not_delay_the_others(
    live_server: LiveServer, settings: Settings, database_url: str, tenant: Tenant
) -> None:
    sub = f"municipality:{tenant.id}"
    slow = await asyncio.to_thread(RawClient, live_server.base_url, settings.supabase_anon_key)
    try:
        slow.send({"topic": f"realtime:{sub}", "event": "phx_join", "ref": "1", "join_ref": "1",
                   "payload": {"config": {"private": True, "broadcast": {"self": False}},
                               "access_token": tenant.tokens["manager"]}})
        reply = await asyncio.to_thread(slow.receive)
        assert reply["event"] == "phx_reply" and reply["payload"]["status"] == "ok", reply

        fast = await NodeSubscriber.start(
            live_server.base_url, settings, topic=sub, token=tenant.tokens["manager"],
            vsn="2.0.0", expect=MESSAGES + 1, wait_ms=60_000, brief=True)
        assert (joined := await fast.joined())["ready"] is True, joined

        # The slow client reads nothing from here on.
        async with await AsyncConnection.connect(database_url) as conn:
            for seq in range(MESSAGES):
                async with conn.transaction():
                    await conn.execute("select realtime.send(%s::jsonb, 'bulk', %s)",
                                       (json.dumps({"seq": seq, "blob": BLOB}), sub))
            async with conn.transaction():
                await conn.execute("select realtime.send(%s::jsonb, 'ticket_changed', %s)",
                                   (json.dumps({"seq": MESSAGES}), sub))
            sentinel_committed = time.time() * 1000

        got = (await fast.result(timeout=90))["messages"]
        assert [m["seq"] for m in got] == list(range(MESSAGES + 1))
        print(f"the fast client had the last message {got[-1]['at'] - sentinel_committed:.0f} ms"
              " after its commit, with the slow client still stalled")

        # Only now does the slow client read: everything is still coming, in order.
        seqs: list[int] = []
        while len(seqs) < MESSAGES + 1:
            frame = await asyncio.to_thread(slow.receive)
            if frame["event"] == "broadcast":
                seqs.append(frame["payload"]["payload"]["seq"])
        assert seqs == list(range(MESSAGES + 1))
    finally:
        slow.close()
