"""Helpers for realtime tests: committed sends, short-lived tokens, and the
real supabase-js client run by Node (tests/realtime/subscribe.mjs)."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
from psycopg import AsyncConnection

from app.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBE_JS = Path(__file__).with_name("subscribe.mjs")
# Node 20 has WebSocket behind a flag (22+ by default); supabase-js needs it.
NODE = ("node", "--experimental-websocket", "--no-warnings")


async def send(database_url: str, topic: str, payload: dict[str, Any],
               event: str = "ticket_changed") -> None:
    """What the ticket triggers do: realtime.send in a committed transaction."""
    async with await AsyncConnection.connect(database_url) as conn, conn.transaction():
        await conn.execute("select realtime.send(%s::jsonb, %s, %s)",
                           (json.dumps(payload), event, topic))


def token_with(settings: Settings, claims: dict[str, Any], *, lifetime: int) -> str:
    """The same user's token, re-signed to expire in `lifetime` seconds."""
    now = int(time.time())
    return jwt.encode({**claims, "iat": now, "exp": now + lifetime},
                      settings.supabase_jwt_secret, algorithm="HS256")


def ticket_event(**extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "tracking_number": "TKT-TEST", "status": "open",
            "category": "water", "assigned_team_id": None, "sla_status": "on_track",
            "operation": "UPDATE", **extra}


class NodeSubscriber:
    """One supabase-js client joined to one private channel, in a Node process."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, base_url: str, settings: Settings, *, topic: str, token: str | None,
                    vsn: str, expect: int = 0, wait_ms: int = 8000,
                    wait_close: bool = False) -> NodeSubscriber:
        env = {**os.environ, "SUPABASE_URL": base_url,
               "SUPABASE_ANON_KEY": settings.supabase_anon_key, "TOPIC": topic, "VSN": vsn,
               "EXPECT": str(expect), "WAIT_MS": str(wait_ms),
               "WAIT_CLOSE": "1" if wait_close else "0", "ACCESS_TOKEN": token or ""}
        proc = await asyncio.create_subprocess_exec(
            *NODE, str(SUBSCRIBE_JS), cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return cls(proc)

    async def _line(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
        if not line:
            err = await self.proc.stderr.read() if self.proc.stderr else b""
            raise AssertionError(f"node client ended early: {err.decode()[-2000:]}")
        return json.loads(line)  # type: ignore[no-any-return]

    async def joined(self, timeout: float = 15) -> dict[str, Any]:
        """The join outcome: {"ready": bool, "status": ..., "error": ...}."""
        return await self._line(timeout)

    async def result(self, timeout: float = 30) -> dict[str, Any]:
        """{"messages": [...], "system": [...], "closed": bool, "statuses": [...]}."""
        try:
            return await self._line(timeout)
        finally:
            await self.proc.wait()
