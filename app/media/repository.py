"""SQL for media rows, upload targets and the sensitive-media access log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

Row = dict[str, Any]


async def evidence_bucket_for(conn: AsyncConnection[Any], ticket_id: UUID) -> str | None:
    cur = await conn.execute("select private.evidence_bucket_for(%s) as bucket", (ticket_id,))
    row = await cur.fetchone()
    return row["bucket"] if row else None


async def media(conn: AsyncConnection[Any], media_id: UUID) -> Row | None:
    cur = await conn.execute(
        "select id, tenant_id, bucket, path, scan_status, quarantine_reason"
        " from public.media_attachments where id = %s", (media_id,))
    return await cur.fetchone()


async def object_visible(conn: AsyncConnection[Any], bucket: str, path: str) -> bool:
    cur = await conn.execute(
        "select 1 from storage.objects where bucket_id = %s and name = %s", (bucket, path))
    return await cur.fetchone() is not None


async def log_access(conn: AsyncConnection[Any], media_id: UUID) -> None:
    await conn.execute("select private.log_media_access(%s)", (media_id,))


async def pending_scans(conn: AsyncConnection[Any], limit: int) -> list[Row]:
    cur = await conn.execute(
        "select m.id, m.bucket, m.path, m.content_type, b.allowed_mime_types"
        " from public.media_attachments m join storage.buckets b on b.id = m.bucket"
        " where m.scan_status = 'pending' order by m.created_at limit %s"
        " for update of m skip locked", (limit,))
    return await cur.fetchall()


async def mark_scanned(conn: AsyncConnection[Any], media_id: UUID, *, reason: str | None,
                       size: int | None) -> None:
    await conn.execute(
        "update public.media_attachments set scan_status = %(status)s,"
        " quarantine_reason = %(reason)s, scanned_at = now(),"
        " size_bytes = coalesce(%(size)s, size_bytes) where id = %(id)s",
        {"status": "quarantined" if reason else "clean", "reason": reason, "size": size,
         "id": media_id})


async def plan_upload(conn: AsyncConnection[Any], *, bucket: str, path: str) -> None:
    """As the caller: the object signed for `path` will be owned by them."""
    await conn.execute("select private.plan_upload(%s, %s)", (bucket, path))
