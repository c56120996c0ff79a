"""SQL for field work, as the caller: RLS decides which tickets they may touch, and the
ticket guard (0003) lets a field worker set only themselves as the assignee."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row


async def status_of(conn: Conn, *, ticket_id: UUID, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(
        "select status, assigned_to from public.tickets where id = %s and tenant_id = %s",
        (ticket_id, tenant_id))
    return await cur.fetchone()


async def take(conn: Conn, *, ticket_id: UUID) -> int:
    """Assign to the caller; open work starts (in progress) in the same statement."""
    cur = await conn.execute(
        "update public.tickets set assigned_to = (select auth.uid()),"
        " status = case when status = 'open' then 'in_progress' else status end"
        " where id = %s and status in ('open', 'in_progress', 'escalated')", (ticket_id,))
    return cur.rowcount
