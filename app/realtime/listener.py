"""Learns of committed realtime.messages rows, exactly once, across reconnects.

Locally the platform's trigger notifies channel `realtime_messages` at commit
(see supabase/platform/50_realtime_gateway.sql). Notifications sent while we
are disconnected are lost, so:
- every few seconds a *checkpoint* records the oldest start of any open
  transaction (no message committed later can have an older inserted_at) and
  notifies a marker; when the marker arrives, everything committed before it
  has arrived too, so that time becomes the *watermark*;
- after a reconnect we LISTEN first, then read every message inserted since
  the watermark, and skip ids already delivered (remembered back to the
  watermark).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.realtime import repository
from app.realtime.hub import Message

log = logging.getLogger("salga.realtime")

CHANNEL = "realtime_messages"
# As the Realtime server does, daily partitions of realtime.messages are made
# ahead (there is no default partition: a day without one drops its sends).
PARTITION_SECONDS = 3600.0
APPLICATION_NAME = "salga-realtime-gateway"


class MessageListener:
    def __init__(
        self,
        url: str,
        publish: Callable[[Message], None],
        *,
        checkpoint_seconds: float = 2.0,
        retry_seconds: float = 0.5,
    ) -> None:
        self._url = url
        self._publish = publish
        self._checkpoint_seconds = checkpoint_seconds
        self._retry_seconds = retry_seconds
        self._marker_prefix = f"checkpoint:{uuid.uuid4()}:"
        self._pending_marks: dict[str, datetime] = {}
        self._watermark: datetime | None = None
        self._seen: dict[str, datetime | None] = {}
        self.ready = asyncio.Event()
        self.connections = 0
        self.caught_up = 0

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after any database failure."""
        while True:
            try:
                async with await AsyncConnection.connect(
                    self._url, autocommit=True, row_factory=dict_row,
                    application_name=APPLICATION_NAME, options="-c timezone=UTC",
                ) as conn:
                    await self._session(conn)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                self.ready.clear()
                log.warning("realtime listener lost the database (%s); reconnecting", exc)
                await asyncio.sleep(self._retry_seconds)

    async def _session(self, conn: AsyncConnection[Any]) -> None:
        await conn.execute(f"listen {CHANNEL}")
        self._pending_marks.clear()  # markers of a lost session never arrive
        self.connections += 1
        if self._watermark is None:
            self._watermark = await repository.database_now(conn)
        else:
            await self._catch_up(conn)
        self.ready.set()
        loop = asyncio.get_running_loop()
        next_checkpoint = next_partitions = loop.time()
        while True:
            if loop.time() >= next_partitions:
                await repository.ensure_partitions(conn)
                next_partitions = loop.time() + PARTITION_SECONDS
            if loop.time() >= next_checkpoint:
                await self._checkpoint(conn)
                next_checkpoint = loop.time() + self._checkpoint_seconds
            timeout = max(0.01, next_checkpoint - loop.time())
            # notifies() holds the connection's lock while it yields: collect
            # first, then handle (a large message is read by id on this connection).
            received = [n.payload async for n in conn.notifies(timeout=timeout, stop_after=1)]
            for payload in received:
                await self._on_notify(conn, payload)

    async def _catch_up(self, conn: AsyncConnection[Any]) -> None:
        assert self._watermark is not None
        for row in await repository.messages_since(conn, self._watermark):
            if self._deliver(Message.from_row(row)):
                self.caught_up += 1

    async def _checkpoint(self, conn: AsyncConnection[Any]) -> None:
        marker = self._marker_prefix + uuid.uuid4().hex
        self._pending_marks[marker] = await repository.checkpoint(
            conn, channel=CHANNEL, marker=marker)

    async def _on_notify(self, conn: AsyncConnection[Any], payload: str) -> None:
        if payload.startswith("checkpoint:"):
            mark = self._pending_marks.pop(payload, None)
            if mark is not None:
                self._advance(mark)
            return
        row = json.loads(payload)
        if "topic" not in row:  # too large to travel whole: read it
            row = await repository.message_by_id(conn, row["id"])
            if row is None:
                return
        self._deliver(Message.from_row(row))

    def _deliver(self, message: Message) -> bool:
        if message.id in self._seen:
            return False
        self._seen[message.id] = message.inserted_at
        self._publish(message)
        return True

    def _advance(self, mark: datetime) -> None:
        """Everything committed before `mark` has arrived; forget older ids."""
        self._watermark = max(self._watermark or mark, mark)
        self._seen = {
            k: v for k, v in self._seen.items() if v is None or v >= self._watermark
        }
