"""One WebSocket client of the local Realtime gateway: its channels and its queue.

Frames to the client go through a bounded per-client queue drained by its own
sender task; a client that falls too far behind is disconnected instead of
slowing anybody else down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from psycopg_pool import AsyncConnectionPool

from app.auth import TokenVerifier
from app.realtime import protocol, service, wire
from app.realtime.hub import Hub, Message
from app.realtime.protocol import Frame
from app.realtime.service import ChannelRefused

log = logging.getLogger("salga.realtime")

QUEUE_LIMIT = 10_000
IDLE_TIMEOUT_SECONDS = 60.0  # Phoenix drops sockets silent for this long


@dataclass
class Gateway:
    """What every connection shares."""

    hub: Hub
    pool: AsyncConnectionPool
    verifier: TokenVerifier
    clients: int = 0
    shared_encoding: bool = True
    direct_writes: bool = True
    written_directly: int = 0  # broadcast frames that took the short path (wire.py)


@dataclass(eq=False)
class Channel:
    connection: ClientConnection
    topic: str
    sub_topic: str
    join_ref: str | None
    private: bool
    token: str
    claims: dict[str, Any]
    access: service.Access
    expiry: asyncio.Task[None] | None = field(default=None, repr=False)

    def deliver(self, message: Message) -> None:
        key = (self.topic, self.connection.vsn)
        text = message.encoded.get(key) if self.connection.gateway.shared_encoding else None
        if text is None:
            text = message.encoded[key] = protocol.encode(Frame(
                topic=self.topic, event="broadcast",
                payload={"type": "broadcast", "event": message.event,
                         "payload": message.payload, "meta": {"id": message.id}},
            ), self.connection.vsn)
        self.connection.broadcast(text, message.framed, key)

    def push(self, event: str, payload: dict[str, Any]) -> None:
        self.connection.send(Frame(self.topic, event, payload, None, self.join_ref))


class ClientConnection:
    def __init__(self, websocket: WebSocket, gateway: Gateway, *, vsn: str, apikey: str) -> None:
        self.ws = websocket
        self.gateway = gateway
        self.vsn = vsn
        self.apikey = apikey
        self.channels: dict[str, Channel] = {}
        self._queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._overflowed = False
        self._sending = False  # the sender is inside an ASGI send
        self._transport = (wire.transport_of(getattr(websocket, "scope", {}))
                           if gateway.direct_writes else None)

    # -- outgoing -----------------------------------------------------------
    def send(self, frame: Frame) -> None:
        self.send_text(protocol.encode(frame, self.vsn))

    def broadcast(self, text: str, frames: dict[tuple[str, str], bytes],
                  key: tuple[str, str]) -> None:
        """A broadcast's frame written straight to the socket when nothing of this client's
        waits before it (wire.py says why and when); queued otherwise."""
        transport = self._transport
        if transport is None or self._sending or not self._queue.empty() or self._overflowed:
            self.send_text(text)
            return
        frame = frames.get(key)
        if frame is None:
            frame = frames[key] = wire.text_frame(text)
        if wire.write(transport, frame):
            self.gateway.written_directly += 1
        elif not transport.is_closing():
            self.send_text(text)  # behind: queued, and ASGI waits for the socket

    def send_text(self, text: str) -> None:
        """Queue an encoded frame (shared by every client of the same kind)."""
        if self._overflowed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self._overflowed = True
            log.warning("realtime client fell %s frames behind; disconnecting it", QUEUE_LIMIT)
            self._drop_queue()
            self._queue.put_nowait(None)

    def _drop_queue(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    async def _sender(self) -> None:
        while (text := await self._queue.get()) is not None:
            self._sending = True
            try:
                await self.ws.send_text(text)
            finally:
                self._sending = False
        await self.ws.close(code=1013)

    # -- incoming -----------------------------------------------------------
    async def serve(self) -> None:
        sender = asyncio.create_task(self._sender())
        try:
            while not sender.done():
                receive = asyncio.ensure_future(self.ws.receive())
                done, _ = await asyncio.wait(
                    {receive, sender}, timeout=IDLE_TIMEOUT_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED)
                if receive not in done:
                    receive.cancel()
                    break
                message = receive.result()
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("text") is not None:
                    await self._handle_text(message["text"])
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self.close_all()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def _handle_text(self, text: str) -> None:
        try:
            frame = protocol.decode(text, self.vsn)
        except protocol.ProtocolError:
            return
        if frame.topic == protocol.PHOENIX_TOPIC:
            if frame.event == "heartbeat":
                self.send(protocol.reply(frame, "ok"))
            return
        handler = {
            "phx_join": self._join, "phx_leave": self._leave, "access_token": self._refresh,
        }.get(frame.event)
        if handler is not None:
            await handler(frame)
        elif frame.topic not in self.channels:
            self.send(protocol.reply(frame, "error", {"reason": "unmatched topic"}))
        elif frame.ref is not None:
            # Client broadcasts/presence are not part of what private ticket channels accept.
            self.send(protocol.reply(frame, "ok"))

    async def _join(self, frame: Frame) -> None:
        sub = protocol.sub_topic(frame.topic)
        if sub is None:
            self.send(protocol.reply(frame, "error", {"reason": "unmatched topic"}))
            return
        if frame.topic in self.channels:
            self._close_channel(self.channels[frame.topic], notify=True)
        if not sub:
            self.send(protocol.reply(
                frame, "error", {"reason": "TopicNameRequired: You must provide a topic name"}))
            return
        config = frame.payload.get("config") or {}
        private = bool(config.get("private")) if isinstance(config, dict) else False
        token = frame.payload.get("access_token") or frame.payload.get("user_token") or self.apikey
        try:
            claims, access = await self._check(str(token), sub, private)
        except ChannelRefused as refused:
            self.send(protocol.reply(frame, "error", {"reason": refused.reason}))
            return
        channel = Channel(
            self, frame.topic, sub, frame.join_ref, private, str(token), claims, access)
        self.channels[frame.topic] = channel
        self.gateway.hub.subscribe(channel)
        self._schedule_expiry(channel)
        self.send(protocol.reply(frame, "ok", {"postgres_changes": []}))

    async def _check(
        self, token: str, sub: str, private: bool
    ) -> tuple[dict[str, Any], service.Access]:
        claims = service.verify_token(self.gateway.verifier, token)
        if service.seconds_left(claims) <= 0:
            raise ChannelRefused("InvalidJWTToken: Token has expired 0 seconds ago")
        if not private:
            return claims, service.Access(read=True, write=True)
        access = await service.authorize(self.gateway.pool, claims, sub)
        if not access.read:
            raise service.unauthorized(sub)
        return claims, access

    async def _refresh(self, frame: Frame) -> None:
        channel = self.channels.get(frame.topic)
        token = frame.payload.get("access_token")
        if channel is None or not isinstance(token, str) or token == channel.token:
            return
        if token.startswith("sb_"):
            return
        try:
            claims, access = await self._check(token, channel.sub_topic, channel.private)
        except ChannelRefused as refused:
            self._shutdown(channel, refused.reason.split(": ", 1)[-1])
            return
        channel.token, channel.claims, channel.access = token, claims, access
        self._schedule_expiry(channel)

    async def _leave(self, frame: Frame) -> None:
        channel = self.channels.get(frame.topic)
        self.send(protocol.reply(frame, "ok"))
        if channel is not None:
            self._close_channel(channel, notify=False)

    # -- channel lifetime ---------------------------------------------------
    def _schedule_expiry(self, channel: Channel) -> None:
        if channel.expiry is not None:
            channel.expiry.cancel()
        channel.expiry = asyncio.create_task(self._expire(channel))

    async def _expire(self, channel: Channel) -> None:
        await asyncio.sleep(max(0.0, service.seconds_left(channel.claims)))
        channel.expiry = None
        self._shutdown(channel, "Token has expired 0 seconds ago")

    def _shutdown(self, channel: Channel, message: str) -> None:
        """As Supabase: a system message with the reason, then the channel closes."""
        channel.push("system", {"extension": "system", "status": "error",
                                "message": message, "channel": channel.sub_topic})
        self._close_channel(channel, notify=True)

    def _close_channel(self, channel: Channel, *, notify: bool) -> None:
        if self.channels.get(channel.topic) is channel:
            del self.channels[channel.topic]
        self.gateway.hub.unsubscribe(channel)
        if channel.expiry is not None:
            channel.expiry.cancel()
            channel.expiry = None
        if notify:
            channel.push("phx_close", {})

    def close_all(self) -> None:
        for channel in list(self.channels.values()):
            self._close_channel(channel, notify=False)
