"""SQL for protected casework (as the caller: only SAPS liaisons and admins see any row)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

COLUMNS = """
  c.ticket_id, t.tracking_number, t.status, t.created_at, t.sla_response_deadline,
  public.sla_status(t) as sla_status, c.channel, c.contact_preference, c.cas_number,
  c.referral_status, c.acknowledged_at, c.acknowledged_by, p.full_name as acknowledged_by_name
"""
FROM = """
  from public.protected_casework c
  join public.tickets t on t.id = c.ticket_id
  left join public.profiles p on p.id = c.acknowledged_by
"""
CHANGEABLE = frozenset({"contact_preference", "cas_number", "referral_status"})


async def queue(conn: Conn, *, tenant_id: UUID, open_only: bool) -> list[Row]:
    """Unacknowledged first, then by response deadline."""
    cur = await conn.execute(
        f"""
        select {COLUMNS} {FROM}
         where c.tenant_id = %(tenant)s
           and (not %(open)s or t.status not in ('resolved', 'closed'))
         order by c.acknowledged_at is not null, t.sla_response_deadline nulls last, t.id
         limit 500
        """, {"tenant": tenant_id, "open": open_only})
    return await cur.fetchall()


async def one(conn: Conn, *, ticket_id: UUID, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {COLUMNS} {FROM} where c.ticket_id = %s and c.tenant_id = %s",
        (ticket_id, tenant_id))
    return await cur.fetchone()


async def update(conn: Conn, *, ticket_id: UUID, fields: dict[str, Any],
                 acknowledge: bool) -> int:
    assert set(fields) <= CHANGEABLE
    assignments = [f"{name} = %({name})s" for name in fields]
    if acknowledge:
        assignments.append("acknowledged_at = coalesce(acknowledged_at, now())")
    if not assignments:
        return 1
    cur = await conn.execute(
        f"update public.protected_casework set {', '.join(assignments)}"
        " where ticket_id = %(ticket_id)s", {**fields, "ticket_id": ticket_id})
    return cur.rowcount
