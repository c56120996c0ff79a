"""SQL for internal notes (as the caller: RLS lets staff who can see the ticket in)."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row


async def insert_note(conn: Conn, *, ticket_id: UUID, body: str | None,
                      encrypted_body: str | None) -> UUID:
    cur = await conn.execute(
        "insert into public.ticket_notes (ticket_id, body, encrypted_body)"
        " values (%s, %s, %s) returning id", (ticket_id, body, encrypted_body))
    row = await cur.fetchone()
    assert row is not None
    return UUID(str(row["id"]))


async def notes(conn: Conn, *, ticket_id: UUID) -> list[Row]:
    cur = await conn.execute(
        """
        select n.id, n.body, n.encrypted_body, n.is_sensitive, n.author_id,
               p.full_name as author_name, p.role as author_role, n.created_at
          from public.ticket_notes n left join public.profiles p on p.id = n.author_id
         where n.ticket_id = %s
         order by n.created_at, n.id
        """, (ticket_id,))
    return await cur.fetchall()


async def ticket_protection(conn: Conn, *, ticket_id: UUID, tenant_id: UUID,
                            sensitive: bool | None) -> bool | None:
    """Is the ticket protected (True/False), or None when the caller cannot see it."""
    cur = await conn.execute(
        "select t.is_sensitive from public.tickets t where t.id = %(id)s"
        " and t.tenant_id = %(tenant)s"
        " and (%(sensitive)s::boolean is null or t.is_sensitive = %(sensitive)s::boolean)",
        {"id": ticket_id, "tenant": tenant_id, "sensitive": sensitive})
    row = await cur.fetchone()
    return bool(row["is_sensitive"]) if row else None
