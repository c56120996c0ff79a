"""The SQL behind the outbox gauges (service role: operators see every municipality)."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

_OUTBOX = """
select status, count(*) as n,
       coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_s
  from public.notification_outbox
 where status in ('pending', 'sending')
 group by status
"""


async def outbox_backlog(conn: AsyncConnection[Any]) -> list[dict[str, Any]]:
    cur = await conn.execute(_OUTBOX)
    return list(await cur.fetchall())
