"""SQL for protected casework (as the caller: only SAPS liaisons and admins see any row)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

COLUMNS = """
  c.ticket_id, t.tracking_number, t.status, t.created_at, t.sla_response_deadline,
  public.sla_status(t) as sla_status, c.channel, c.contact_preference, c.cas_number,
  c.referral_status, c.acknowledged_at, c.acknowledged_by, p.full_name as acknowledged_by_name,
  c.child_involved, c.child_flagged_at, c.acknowledge_by, c.child_escalated_at
"""
FROM = """
  from public.protected_casework c
  join public.tickets t on t.id = c.ticket_id
  left join public.profiles p on p.id = c.acknowledged_by
"""
CHANGEABLE = frozenset({"contact_preference", "cas_number", "referral_status", "child_involved"})
REFERRAL_COLUMNS = """
  r.id, r.ticket_id, t.tracking_number, r.status, r.reporter_type, r.child_name, r.child_age,
  r.child_gender, r.abuse_nature, r.incident_place, r.incident_when, r.offender_relationship,
  r.action_taken, r.referral_date, r.case_number, r.referred_at, r.referred_by, r.created_at
"""
REFERRAL_CHANGEABLE = frozenset({
    "status", "reporter_type", "child_name", "child_age", "child_gender", "abuse_nature",
    "incident_place", "incident_when", "offender_relationship", "action_taken",
    "referral_date", "case_number"})


async def queue(conn: Conn, *, tenant_id: UUID, open_only: bool) -> list[Row]:
    """Unacknowledged first (child cases by their 15-minute deadline), then by deadline."""
    cur = await conn.execute(
        f"""
        select {COLUMNS} {FROM}
         where c.tenant_id = %(tenant)s
           and (not %(open)s or t.status not in ('resolved', 'closed'))
         order by c.acknowledged_at is not null,
                  coalesce(c.acknowledge_by, t.sla_response_deadline) nulls last, t.id
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


async def flag_child_case(conn: Conn, *, ticket_id: UUID) -> None:
    """The reporter said a child is involved (the webhook, as the service role)."""
    await conn.execute(
        "update public.protected_casework set child_involved = true"
        " where ticket_id = %s and not child_involved", (ticket_id,))


async def referrals(conn: Conn, *, tenant_id: UUID, status: str | None) -> list[Row]:
    """Pending first, oldest first."""
    cur = await conn.execute(
        f"""
        select {REFERRAL_COLUMNS}
          from public.dsd_referrals r join public.tickets t on t.id = r.ticket_id
         where r.tenant_id = %(tenant)s and (%(status)s::text is null or r.status = %(status)s)
         order by r.status = 'referred', r.created_at, r.id
         limit 500
        """, {"tenant": tenant_id, "status": status})
    return await cur.fetchall()


async def referral(conn: Conn, *, ticket_id: UUID, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {REFERRAL_COLUMNS} from public.dsd_referrals r"
        " join public.tickets t on t.id = r.ticket_id"
        " where r.ticket_id = %s and r.tenant_id = %s", (ticket_id, tenant_id))
    return await cur.fetchone()


async def update_referral(conn: Conn, *, ticket_id: UUID, fields: dict[str, Any]) -> None:
    assert fields and set(fields) <= REFERRAL_CHANGEABLE
    assignments = ", ".join(f"{name} = %({name})s" for name in fields)
    await conn.execute(
        f"update public.dsd_referrals set {assignments} where ticket_id = %(ticket_id)s",
        {**fields, "ticket_id": ticket_id})
