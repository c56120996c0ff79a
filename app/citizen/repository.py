"""SQL for the citizen page; the tracking rules are in migration 0020."""

from __future__ import annotations

from typing import Any

from app.vocab import Conn


async def track(conn: Conn, tracking_number: str) -> dict[str, Any] | None:
    """Status, category and dates of an ordinary report; None for protected or unknown."""
    cur = await conn.execute("select public.track_report(%s) as found", (tracking_number,))
    row = await cur.fetchone()
    found = row["found"] if row else None
    return dict(found) if found else None
