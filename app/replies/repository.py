"""SQL for replies: one call to `public.reply_to_reporter` (it holds every rule)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.vocab import Conn


async def reply(conn: Conn, *, ticket_id: UUID, template_key: str,
                reply_key: UUID) -> dict[str, Any]:
    """The queued message: {id, language, status} (the same one again for a retry)."""
    cur = await conn.execute("select public.reply_to_reporter(%s, %s, %s) as queued",
                             (ticket_id, template_key, reply_key))
    row = await cur.fetchone()
    assert row is not None
    return dict(row["queued"])
