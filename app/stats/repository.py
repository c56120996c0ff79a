"""SQL for statistics: one call to `public.ticket_stats` (security invoker, so RLS decides)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.vocab import Conn


async def ticket_stats(conn: Conn, *, start: datetime, end: datetime) -> dict[str, Any]:
    cur = await conn.execute("select public.ticket_stats(%s, %s) as stats", (start, end))
    row = await cur.fetchone()
    return dict(row["stats"]) if row else {}
