"""SQL for Open311. Public reads go through the `open311` schema's
security-definer readers (migration 0012); writes run as the service role."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb

from app.vocab import Conn, Row


async def jurisdiction(conn: Conn, code: str) -> Row | None:
    cur = await conn.execute("select id, code, name from open311.jurisdiction(%s)", (code,))
    return await cur.fetchone()


async def client_for_key(conn: Conn, *, code: str, key_hash: str) -> Row | None:
    cur = await conn.execute(
        "select client_id, tenant_id from private.open311_client(%s, %s)", (code, key_hash))
    return await cur.fetchone()


async def requests(
    conn: Conn,
    *,
    tenant_id: UUID,
    ids: list[UUID] | None,
    category: str | None,
    start: datetime | None,
    end: datetime | None,
    is_open: bool | None,
    limit: int,
    offset: int,
) -> list[Row]:
    cur = await conn.execute(
        "select * from open311.requests(%s, %s, %s, %s, %s, %s, %s, %s)",
        (tenant_id, ids, category, start, end, is_open, limit, offset))
    return await cur.fetchall()


async def updates(
    conn: Conn, *, tenant_id: UUID, start: datetime | None, end: datetime | None, limit: int
) -> list[Row]:
    cur = await conn.execute("select * from open311.updates(%s, %s, %s, %s)",
                             (tenant_id, start, end, limit))
    return await cur.fetchall()


async def ticket_for_token(conn: Conn, *, tenant_id: UUID, token: UUID) -> UUID | None:
    cur = await conn.execute("select ticket_id from open311.token(%s, %s)", (tenant_id, token))
    row = await cur.fetchone()
    return row["ticket_id"] if row else None


# --- As the service role ------------------------------------------------------

async def recent_submission(conn: Conn, *, client_id: UUID, fingerprint: str) -> Row | None:
    """The same request from the same client in the last 10 minutes (a retry)."""
    cur = await conn.execute(
        "select s.id, s.ticket_id from public.open311_submissions s"
        " where s.client_id = %s and s.fingerprint = %s"
        "   and s.created_at > now() - interval '10 minutes'"
        " order by s.created_at desc limit 1", (client_id, fingerprint))
    return await cur.fetchone()


async def lock_client(conn: Conn, client_id: UUID) -> None:
    """Serialise one client's filings, so two copies of a retry cannot both file."""
    await conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 311))",
                       (str(client_id),))


async def add_submission(
    conn: Conn, *, tenant_id: UUID, ticket_id: UUID, client_id: UUID,
    contact: dict[str, Any], media_url: str | None, fingerprint: str,
) -> UUID:
    cur = await conn.execute(
        "insert into public.open311_submissions (tenant_id, ticket_id, client_id, contact,"
        " media_url, fingerprint) values (%s, %s, %s, %s, %s, %s) returning id",
        (tenant_id, ticket_id, client_id, Jsonb(contact), media_url, fingerprint))
    row = await cur.fetchone()
    assert row is not None
    return UUID(str(row["id"]))


async def client_ticket(conn: Conn, *, client_id: UUID, ticket_id: UUID) -> Row | None:
    """An ordinary ticket this client filed, locked for an update."""
    cur = await conn.execute(
        "select t.id, t.tenant_id, t.status from public.tickets t"
        "  join public.open311_submissions s on s.ticket_id = t.id"
        " where s.client_id = %s and t.id = %s and not t.is_sensitive for update of t",
        (client_id, ticket_id))
    return await cur.fetchone()


async def existing_update(conn: Conn, *, client_id: UUID, external_id: str) -> UUID | None:
    cur = await conn.execute(
        "select id from public.ticket_updates where client_id = %s and external_id = %s",
        (client_id, external_id))
    row = await cur.fetchone()
    return row["id"] if row else None


async def transition_allowed(conn: Conn, current: str, target: str) -> bool:
    cur = await conn.execute("select private.transition_allowed(%s, %s) as ok",
                             (current, target))
    row = await cur.fetchone()
    return bool(row and row["ok"])


async def set_status_from_client(
    conn: Conn, *, ticket_id: UUID, status: str, reason: str
) -> None:
    """A status a client's update asked for; its own update row stands for it."""
    await conn.execute(
        "select set_config('salga.change_reason', %s, true),"
        "       set_config('salga.open311_update', 'on', true)", (reason[:500],))
    await conn.execute("update public.tickets set status = %s where id = %s",
                       (status, ticket_id))
    await conn.execute("select set_config('salga.open311_update', '', true)")


async def add_update(
    conn: Conn, *, tenant_id: UUID, ticket_id: UUID, status: str, description: str,
    client_id: UUID, external_id: str | None,
) -> UUID:
    cur = await conn.execute(
        "insert into public.ticket_updates (tenant_id, ticket_id, status, description, source,"
        " client_id, external_id) values (%s, %s, %s, %s, 'open311', %s, %s) returning id",
        (tenant_id, ticket_id, status, description, client_id, external_id))
    row = await cur.fetchone()
    assert row is not None
    return UUID(str(row["id"]))


# --- Keys (operator, as the owner) -----------------------------------------------

async def add_client(
    conn: Conn, *, code: str, name: str, key_hash: str, key_prefix: str
) -> UUID:
    cur = await conn.execute(
        "insert into public.open311_clients (tenant_id, name, key_hash, key_prefix)"
        " select m.id, %s, %s, %s from public.municipalities m where m.code = %s"
        " returning id", (name, key_hash, key_prefix, code))
    row = await cur.fetchone()
    if row is None:
        raise LookupError(f"no municipality with code {code}")
    return UUID(str(row["id"]))


async def revoke_client(conn: Conn, *, code: str, name: str) -> bool:
    cur = await conn.execute(
        "update public.open311_clients c set revoked_at = now() from public.municipalities m"
        " where m.id = c.tenant_id and m.code = %s and c.name = %s and c.revoked_at is null"
        " returning c.id", (code, name))
    return await cur.fetchone() is not None
