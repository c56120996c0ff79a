"""SQL for the media download queue (the worker, as the service role)."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

Row = dict[str, Any]
Conn = AsyncConnection[Any]


async def claim_jobs(conn: Conn, *, limit: int, lease_seconds: float) -> list[Row]:
    cur = await conn.execute(
        """
        with due as (
          select id from public.whatsapp_media_jobs
           where status in ('pending', 'stored', 'discard') and next_attempt_at <= now()
           order by next_attempt_at, id limit %(limit)s
           for update skip locked)
        update public.whatsapp_media_jobs j
           set attempts = j.attempts + 1,
               next_attempt_at = now() + make_interval(secs => %(lease)s)
          from due where j.id = due.id
        returning j.*
        """, {"limit": limit, "lease": lease_seconds})
    return sorted(await cur.fetchall(), key=lambda row: row["id"])


async def record_stored(conn: Conn, *, job_id: int, path: str) -> None:
    await conn.execute(
        "update public.whatsapp_media_jobs set status = 'stored', storage_path = %s"
        " where id = %s", (path, job_id))


async def settle(conn: Conn, *, job_id: int, status: str, error: str | None,
                 delay: float) -> None:
    await conn.execute(
        "update public.whatsapp_media_jobs set status = %s, last_error = %s,"
        " next_attempt_at = now() + make_interval(secs => %s) where id = %s",
        (status, error, delay, job_id))


async def expire_conversations(conn: Conn) -> int:
    """Abandoned drafts: text and location cleared, photos dropped (deleted at Twilio)."""
    cur = await conn.execute(
        """
        with gone as (
          update public.whatsapp_conversations
             set state = 'menu', category = null, encrypted_draft_description = null,
                 latitude = null, longitude = null, address = null, expires_at = null
           where expires_at < now()
             and state in ('sensitive_consent', 'description', 'location', 'photos', 'confirm')
          returning id)
        update public.whatsapp_media_jobs set status = 'discard', conversation_id = null,
               next_attempt_at = now()
         where conversation_id in (select id from gone) and status = 'waiting'
        """)
    return cur.rowcount
