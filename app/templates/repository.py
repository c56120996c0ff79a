"""SQL for the message library."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row

COLUMNS = ("id, tenant_id, template_key, language, version, body, status, note, approved_by,"
           " approved_at, approval_note, retired_at, previous_version_id, created_by, created_at")


async def approved_texts(conn: Conn, *, tenant_id: UUID | None) -> list[Row]:
    """The approved version of each (key, language): the municipality's own first."""
    cur = await conn.execute(
        "select distinct on (template_key, language) id, template_key, language, version, body"
        "  from public.message_templates"
        " where status = 'approved' and (tenant_id = %s or tenant_id is null)"
        " order by template_key, language, tenant_id nulls last", (tenant_id,))
    return await cur.fetchall()


async def library_generation(conn: Conn, *, tenant_id: UUID | None) -> str:
    """What identifies the texts `tenant_id`'s citizens receive: a new token whenever
    any of them (or the platform's) is written (migration 0023). Service role only."""
    cur = await conn.execute("select private.library_generation(%s) as generation",
                             (tenant_id,))
    row = await cur.fetchone()
    return str(row["generation"]) if row else ""


async def list_versions(conn: Conn, *, key: str | None, language: str | None,
                        status: str | None) -> list[Row]:
    cur = await conn.execute(
        f"select {COLUMNS} from public.message_templates"
        " where (%(key)s::text is null or template_key = %(key)s)"
        "   and (%(lang)s::text is null or language = %(lang)s)"
        "   and (%(status)s::text is null or status = %(status)s)"
        " order by template_key, language, tenant_id nulls first, version desc",
        {"key": key, "lang": language, "status": status})
    return await cur.fetchall()


async def keys(conn: Conn) -> list[Row]:
    cur = await conn.execute(
        "select template_key, kind, variables from public.message_template_keys"
        " order by template_key")
    return await cur.fetchall()


async def insert_draft(conn: Conn, *, tenant_id: UUID, key: str, language: str, body: str,
                       note: str | None) -> Row:
    cur = await conn.execute(
        "insert into public.message_templates (tenant_id, template_key, language, body, note)"
        f" values (%s, %s, %s, %s, %s) returning {COLUMNS}",
        (tenant_id, key, language, body, note))
    row = await cur.fetchone()
    assert row is not None
    return row


async def set_status(conn: Conn, *, template_id: UUID, status: str,
                     approval_note: str | None) -> Row | None:
    cur = await conn.execute(
        "update public.message_templates set status = %s,"
        " approval_note = coalesce(%s, approval_note)"
        f" where id = %s returning {COLUMNS}", (status, approval_note, template_id))
    return await cur.fetchone()


async def visible(conn: Conn, template_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {COLUMNS} from public.message_templates where id = %s", (template_id,))
    return await cur.fetchone()
