"""Lean Realtime clients for scripts/bench_realtime, in their own process.

Raw asyncio protocols (uvloop when installed): a WebSocket handshake, one
`phx_join` (vsn 2.0.0), then every frame is parsed just enough to find the
broadcast's sequence number and stamp its arrival, so the figures measure the
gateway and not a client library. Prints `joined` once every client has
joined, then (when the last message, seq -1, has reached them all) one JSON
line: arrivals as [seq, unix time] pairs, and the process's own CPU.

    realtime_clients.py WS_URL TOPIC TOKEN CLIENTS
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import resource
import sys
import time
from typing import Any
from urllib.parse import urlsplit

SEQ = re.compile(rb'"seq": ?(-?\d+)')
JOINING = 50  # joins in waves: each is a policy check in the database


def masked_text(payload: bytes) -> bytes:
    """A client's text frame (clients must mask, RFC 6455 5.3)."""
    mask = os.urandom(4)
    size = len(payload)
    head = bytes((0x81, 0x80 | size)) if size < 126 else \
        bytes((0x81, 0x80 | 126)) + size.to_bytes(2, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


HEARTBEAT = masked_text(b'[null, "hb", "phoenix", "heartbeat", {}]')
OPEN: list[Client] = []


class Client(asyncio.Protocol):
    def __init__(self, join: bytes, arrivals: list[tuple[int, float]],
                 joined: asyncio.Future[None], finished: asyncio.Future[None]) -> None:
        OPEN.append(self)
        self.join, self.arrivals = join, arrivals
        self.joined, self.finished = joined, finished
        self.buffer = b""
        self.upgraded = False
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        at = time.time()
        self.buffer += data
        if not self.upgraded:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            if not head.startswith(b"HTTP/1.1 101"):
                self.joined.set_exception(RuntimeError(head[:200].decode(errors="replace")))
                return
            self.upgraded, self.buffer = True, rest
            self.transport.write(masked_text(self.join))
        self.frames(at)

    def frames(self, at: float) -> None:
        buf = self.buffer
        while len(buf) >= 2:
            size, start = buf[1] & 0x7F, 2
            if size == 126:
                if len(buf) < 4:
                    break
                size, start = int.from_bytes(buf[2:4], "big"), 4
            elif size == 127:
                if len(buf) < 10:
                    break
                size, start = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < start + size:
                break
            self.frame(buf[start:start + size], at)
            buf = buf[start + size:]
        self.buffer = buf

    def frame(self, payload: bytes, at: float) -> None:
        if not self.joined.done():
            if b'"phx_reply"' in payload:
                if b'"ok"' in payload:
                    self.joined.set_result(None)
                else:
                    self.joined.set_exception(RuntimeError(payload[:300].decode()))
            return
        match = SEQ.search(payload)
        if match:
            seq = int(match.group(1))
            self.arrivals.append((seq, at))
            if seq < 0 and not self.finished.done():
                self.finished.set_result(None)


async def connect(url: str, topic: str, token: str, arrivals: list[tuple[int, float]],
                  finished: asyncio.Future[None], gate: asyncio.Semaphore) -> None:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    join = json.dumps(["1", "1", f"realtime:{topic}", "phx_join",
                       {"config": {"private": True, "broadcast": {"self": False}},
                        "access_token": token}]).encode()
    async with gate:
        joined: asyncio.Future[None] = loop.create_future()
        transport, _ = await loop.create_connection(
            lambda: Client(join, arrivals, joined, finished), parts.hostname, parts.port)
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write((f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                         "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
                         ).encode())
        await asyncio.wait_for(joined, 120)


async def heartbeats() -> None:
    """As Phoenix clients do: the gateway drops sockets silent for a minute."""
    while True:
        await asyncio.sleep(20)
        for client in OPEN:
            if client.transport is not None and not client.transport.is_closing():
                client.transport.write(HEARTBEAT)


async def run(url: str, topic: str, token: str, clients: int) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    arrivals: list[tuple[int, float]] = []
    finished = [loop.create_future() for _ in range(clients)]
    gate = asyncio.Semaphore(JOINING)
    beating = asyncio.create_task(heartbeats())
    await asyncio.gather(*(connect(url, topic, token, arrivals, done, gate)
                           for done in finished))
    print("joined", flush=True)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*finished), 600)
    beating.cancel()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {"arrivals": arrivals, "cpu_s": round(cpu, 3),
            "seconds": round(time.perf_counter() - started, 3)}


def main() -> None:
    url, topic, token, clients = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(run(url, topic, token, clients))), flush=True)


if __name__ == "__main__":
    main()
