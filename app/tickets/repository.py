"""SQL for tickets. The rules (transitions, SLA, routing, events) are in the
database (migration 0004); this module only asks for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

SUMMARY_COLUMNS = """
  t.id, t.tracking_number, t.status, t.category, t.priority, t.assigned_team_id,
  tm.name as assigned_team_name, public.sla_status(t) as sla_status,
  t.sla_response_deadline, t.sla_resolution_deadline, t.created_at, t.updated_at, t.is_sensitive
"""

DETAIL_COLUMNS = SUMMARY_COLUMNS + """,
  t.description, t.encrypted_description, t.address, t.language, t.source, t.assigned_to,
  extensions.st_y(t.location::extensions.geometry) as latitude,
  extensions.st_x(t.location::extensions.geometry) as longitude,
  t.first_responded_at, t.resolved_at, t.closed_at, t.escalated_at, t.escalation_reason,
  t.duplicate_of
"""


async def insert_ticket(
    conn: Conn,
    *,
    ticket_id: UUID,
    tenant_id: UUID,
    reporter_id: UUID | None,
    category: str,
    description: str | None,
    encrypted_description: str | None,
    is_sensitive: bool,
    latitude: float | None,
    longitude: float | None,
    address: str | None,
    language: str,
    source: str,
) -> None:
    """Insert without RETURNING: a reporter cannot read a sensitive report back."""
    await conn.execute(
        """
        insert into public.tickets (id, tenant_id, reporter_id, category, description,
                                    encrypted_description, is_sensitive, location, address,
                                    language, source)
        values (%(id)s, %(tenant)s, %(reporter)s, %(category)s, %(description)s,
                %(encrypted)s, %(sensitive)s,
                case when %(lat)s::float8 is null then null else
                  extensions.st_setsrid(extensions.st_makepoint(%(lon)s::float8, %(lat)s::float8),
                                        4326)::extensions.geography end,
                %(address)s, %(language)s, %(source)s)
        """,
        {"id": ticket_id, "tenant": tenant_id, "reporter": reporter_id, "category": category,
         "description": description, "encrypted": encrypted_description,
         "sensitive": is_sensitive, "lat": latitude, "lon": longitude, "address": address,
         "language": language, "source": source},
    )


async def report_receipt(conn: Conn, ticket_id: UUID) -> Row | None:
    cur = await conn.execute("select private.report_receipt(%s) as receipt", (ticket_id,))
    row = await cur.fetchone()
    return row["receipt"] if row else None


async def list_tickets(
    conn: Conn,
    *,
    tenant_id: UUID,
    sensitive: bool | None,
    filters: dict[str, Any],
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[Row]:
    """Newest first; `sensitive` None = both kinds (RLS still decides)."""
    where = ["t.tenant_id = %(tenant)s"]
    params: dict[str, Any] = {"tenant": tenant_id, "limit": limit}
    if sensitive is not None:
        where.append("t.is_sensitive = %(sensitive)s")
        params["sensitive"] = sensitive
    for column in ("status", "category", "assigned_team_id"):
        if filters.get(column) is not None:
            where.append(f"t.{column} = %({column})s")
            params[column] = filters[column]
    if filters.get("sla_status") is not None:
        where.append("public.sla_status(t) = %(sla_status)s")
        params["sla_status"] = filters["sla_status"]
    if filters.get("created_from") is not None:
        where.append("t.created_at >= %(created_from)s")
        params["created_from"] = filters["created_from"]
    if filters.get("created_to") is not None:
        where.append("t.created_at < %(created_to)s")
        params["created_to"] = filters["created_to"]
    if after is not None:
        where.append("(t.created_at, t.id) < (%(after_at)s, %(after_id)s)")
        params["after_at"], params["after_id"] = after
    cur = await conn.execute(
        f"""
        select {SUMMARY_COLUMNS}
          from public.tickets t
          left join public.teams tm on tm.id = t.assigned_team_id
         where {" and ".join(where)}
         order by t.created_at desc, t.id desc
         limit %(limit)s
        """,
        params,
    )
    return await cur.fetchall()


async def _one_ticket(
    conn: Conn, columns: str, *, ticket_id: UUID, tenant_id: UUID,
    sensitive: bool | None,
) -> Row | None:
    cur = await conn.execute(
        f"""
        select {columns}
          from public.tickets t
          left join public.teams tm on tm.id = t.assigned_team_id
         where t.id = %(id)s and t.tenant_id = %(tenant)s
           and (%(sensitive)s::boolean is null or t.is_sensitive = %(sensitive)s::boolean)
        """,
        {"id": ticket_id, "tenant": tenant_id, "sensitive": sensitive},
    )
    return await cur.fetchone()


async def get_ticket(
    conn: Conn, *, ticket_id: UUID, tenant_id: UUID, sensitive: bool | None
) -> Row | None:
    return await _one_ticket(conn, DETAIL_COLUMNS, ticket_id=ticket_id, tenant_id=tenant_id,
                             sensitive=sensitive)


async def summary(
    conn: Conn, *, ticket_id: UUID, tenant_id: UUID, sensitive: bool | None
) -> Row | None:
    return await _one_ticket(conn, SUMMARY_COLUMNS, ticket_id=ticket_id, tenant_id=tenant_id,
                             sensitive=sensitive)


async def assignments(conn: Conn, ticket_id: UUID) -> list[Row]:
    cur = await conn.execute(
        """
        select a.id, a.team_id, tm.name as team_name, a.assigned_to, a.assigned_by, a.reason,
               a.is_current, a.created_at
          from public.ticket_assignments a
          left join public.teams tm on tm.id = a.team_id
         where a.ticket_id = %s
         order by a.created_at, a.id
        """,
        (ticket_id,),
    )
    return await cur.fetchall()


async def set_status(
    conn: Conn, *, ticket_id: UUID, status: str, reason: str | None
) -> None:
    await conn.execute("select public.set_ticket_status(%s, %s, %s)", (ticket_id, status, reason))


async def assign(
    conn: Conn,
    *,
    ticket_id: UUID,
    team_id: UUID | None,
    assigned_to: UUID | None,
    reason: str | None,
) -> None:
    await conn.execute(
        "select public.assign_ticket(%s, %s, %s, %s)", (ticket_id, team_id, assigned_to, reason)
    )


async def record_decrypted_read(conn: Conn, ticket_id: UUID) -> None:
    await conn.execute("select private.record_sensitive_read(%s)", (ticket_id,))


async def audit_entries(conn: Conn, ticket_id: UUID) -> list[Row]:
    cur = await conn.execute("select * from private.ticket_audit_entries(%s)", (ticket_id,))
    return await cur.fetchall()


async def escalate_overdue(conn: Conn) -> int:
    cur = await conn.execute("select private.escalate_overdue() as escalated")
    row = await cur.fetchone()
    return int(row["escalated"]) if row else 0


# --- Setup (demo seeding, bench): as the owner ---------------------------------

async def upsert_team(
    conn: Conn,
    *,
    tenant_id: UUID,
    name: str,
    categories: list[str],
    area: tuple[float, float, float, float] | None,
    is_default: bool,
    is_saps: bool,
    manager_id: UUID | None,
) -> UUID:
    """A team by (municipality, name); `area` is a lon/lat box (xmin, ymin, xmax, ymax)."""
    cur = await conn.execute(
        """
        insert into public.teams (tenant_id, name, categories, is_default, is_saps, manager_id,
                                  service_area)
        values (%(tenant)s, %(name)s, %(categories)s, %(default)s, %(saps)s, %(manager)s,
                case when %(has_area)s then extensions.st_multi(extensions.st_makeenvelope(
                  %(x1)s, %(y1)s, %(x2)s, %(y2)s, 4326))::extensions.geography end)
        on conflict (tenant_id, name) do update
           set categories = excluded.categories, is_default = excluded.is_default,
               is_saps = excluded.is_saps, manager_id = excluded.manager_id,
               service_area = excluded.service_area, is_active = true
        returning id
        """,
        {"tenant": tenant_id, "name": name, "categories": categories, "default": is_default,
         "saps": is_saps, "manager": manager_id, "has_area": area is not None,
         **dict(zip(("x1", "y1", "x2", "y2"), area or (None,) * 4, strict=True))},
    )
    row = await cur.fetchone()
    assert row is not None
    return UUID(str(row["id"]))


async def add_team_member(
    conn: Conn, *, team_id: UUID, user_id: UUID, tenant_id: UUID
) -> None:
    await conn.execute(
        "insert into public.team_members (team_id, user_id, tenant_id) values (%s, %s, %s)"
        " on conflict do nothing", (team_id, user_id, tenant_id))


async def upsert_sla_policy(
    conn: Conn, *, tenant_id: UUID, category: str, response_hours: float,
    resolution_hours: float,
) -> None:
    await conn.execute(
        """
        insert into public.sla_policies (tenant_id, category, response_hours, resolution_hours)
        values (%s, %s, %s, %s)
        on conflict (tenant_id, category) do update
           set response_hours = excluded.response_hours,
               resolution_hours = excluded.resolution_hours, is_active = true
        """, (tenant_id, category, response_hours, resolution_hours))


async def tickets_of_reporter(conn: Conn, reporter_id: UUID) -> list[Row]:
    cur = await conn.execute(
        """
        select t.tracking_number, t.category, t.is_sensitive, tm.name as team_name
          from public.tickets t left join public.teams tm on tm.id = t.assigned_team_id
         where t.reporter_id = %s order by t.created_at, t.tracking_number
        """, (reporter_id,))
    return await cur.fetchall()
