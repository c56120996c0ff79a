"""SQL for media rows, upload targets, the sensitive-media access log and the
WhatsApp media download queue (the worker runs that part as the service role)."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row


async def evidence_bucket_for(conn: Conn, ticket_id: UUID) -> str | None:
    cur = await conn.execute("select private.evidence_bucket_for(%s) as bucket", (ticket_id,))
    row = await cur.fetchone()
    return row["bucket"] if row else None


async def media(conn: Conn, media_id: UUID) -> Row | None:
    cur = await conn.execute(
        "select id, tenant_id, bucket, path, scan_status, quarantine_reason"
        " from public.media_attachments where id = %s", (media_id,))
    return await cur.fetchone()


async def ticket_media(conn: Conn, ticket_id: UUID) -> list[Row]:
    """The ticket's files the caller may read (RLS), oldest first."""
    cur = await conn.execute(
        "select id, bucket, path, content_type, size_bytes, scan_status, source, created_at"
        " from public.media_attachments where ticket_id = %s order by created_at, id",
        (ticket_id,))
    return await cur.fetchall()


async def object_visible(conn: Conn, bucket: str, path: str) -> bool:
    cur = await conn.execute(
        "select 1 from storage.objects where bucket_id = %s and name = %s", (bucket, path))
    return await cur.fetchone() is not None


async def log_access(conn: Conn, media_id: UUID) -> None:
    await conn.execute("select private.log_media_access(%s)", (media_id,))


async def pending_scans(conn: Conn, limit: int) -> list[Row]:
    cur = await conn.execute(
        "select m.id, m.bucket, m.path, m.content_type, b.allowed_mime_types"
        " from public.media_attachments m join storage.buckets b on b.id = m.bucket"
        " where m.scan_status = 'pending' order by m.created_at limit %s"
        " for update of m skip locked", (limit,))
    return await cur.fetchall()


async def mark_scanned(conn: Conn, media_id: UUID, *, reason: str | None,
                       size: int | None) -> None:
    await conn.execute(
        "update public.media_attachments set scan_status = %(status)s,"
        " quarantine_reason = %(reason)s, scanned_at = now(),"
        " size_bytes = coalesce(%(size)s, size_bytes) where id = %(id)s",
        {"status": "quarantined" if reason else "clean", "reason": reason, "size": size,
         "id": media_id})


# ---- the WhatsApp media download queue ------------------------------------------------

async def claim_media_jobs(conn: Conn, *, limit: int, lease_seconds: float) -> list[Row]:
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


async def record_job_stored(conn: Conn, *, job_id: int, path: str) -> None:
    await conn.execute(
        "update public.whatsapp_media_jobs set status = 'stored', storage_path = %s"
        " where id = %s", (path, job_id))


async def settle_media_job(conn: Conn, *, job_id: int, status: str, error: str | None,
                 delay: float) -> None:
    await conn.execute(
        "update public.whatsapp_media_jobs set status = %s, last_error = %s,"
        " next_attempt_at = now() + make_interval(secs => %s) where id = %s",
        (status, error, delay, job_id))


async def plan_upload(conn: Conn, *, bucket: str, path: str) -> None:
    """As the caller: the object signed for `path` will be owned by them."""
    await conn.execute("select private.plan_upload(%s, %s)", (bucket, path))


async def tell_reporter_too_big(conn: Conn, *, ticket_id: UUID, limit_mb: int) -> None:
    """A polite note to the reporter that a file was over WhatsApp's limit (never for a
    protected report: the outbox drops those, as every first contact)."""
    await conn.execute(
        """
        insert into public.notification_outbox (tenant_id, ticket_id, recipient, template_key,
                                                language, variables)
        select t.tenant_id, t.id, p.phone, 'media_too_large', p.preferred_language,
               jsonb_build_object('tracking_number', t.tracking_number, 'limit_mb', %s)
          from public.tickets t join public.profiles p on p.id = t.reporter_id
         where t.id = %s and p.phone is not null and p.deleted_at is null
        """, (limit_mb, ticket_id))
