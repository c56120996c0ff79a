"""SQL for duplicate reports; the rules are in migration 0012."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row


async def possible_duplicates(
    conn: Conn,
    *,
    tenant_id: UUID,
    category: str,
    latitude: float,
    longitude: float,
    exclude: UUID | None,
) -> list[Row]:
    cur = await conn.execute(
        "select id, tracking_number, status, category, created_at, distance_m"
        "  from private.possible_duplicates(%s, %s, %s, %s, %s)",
        (tenant_id, category, latitude, longitude, exclude))
    return await cur.fetchall()


async def follow(conn: Conn, *, ticket_id: UUID, user_id: UUID | None, source: str) -> None:
    await conn.execute("select public.follow_ticket(%s, %s, %s)", (ticket_id, user_id, source))


async def merge(conn: Conn, *, ticket_id: UUID, into: UUID, reason: str | None) -> None:
    await conn.execute("select public.merge_ticket(%s, %s, %s)", (ticket_id, into, reason))


async def merged(conn: Conn, ticket_id: UUID) -> Row | None:
    """The merged ticket as the caller sees it (RLS)."""
    cur = await conn.execute(
        "select t.id, t.tracking_number, t.status, t.duplicate_of, o.tracking_number"
        "       as duplicate_of_tracking_number"
        "  from public.tickets t left join public.tickets o on o.id = t.duplicate_of"
        " where t.id = %s", (ticket_id,))
    return await cur.fetchone()
