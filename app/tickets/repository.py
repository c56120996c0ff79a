"""SQL for tickets. The rules (transitions, SLA, routing, events) are in the
database (migration 0004); this module only asks for them."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

SUMMARY_COLUMNS = """
  t.id, t.tracking_number, t.status, t.category, t.priority, t.assigned_team_id,
  tm.name as assigned_team_name, t.assigned_to, ap.full_name as assigned_to_name,
  t.address, public.sla_status(t) as sla_status,
  t.sla_response_deadline, t.sla_resolution_deadline, t.created_at, t.updated_at, t.is_sensitive
"""

DETAIL_COLUMNS = SUMMARY_COLUMNS + """,
  t.description, t.encrypted_description, t.language, t.source,
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
    """Insert without RETURNING: a reporter cannot read a sensitive report back.

    Protected reports go through private.file_protected_report, which only the
    service role may call (users cannot write ciphertext): the statement runs
    as service_role with the caller's claims still set, and the role is put back.
    """
    if encrypted_description is not None:
        await _file_protected(
            conn, ticket_id=ticket_id, tenant_id=tenant_id, reporter_id=reporter_id,
            category=category, ciphertext=encrypted_description, latitude=latitude,
            longitude=longitude, address=address, language=language, source=source)
        return
    await conn.execute(
        """
        insert into public.tickets (id, tenant_id, reporter_id, category, description,
                                    is_sensitive, location, address, language, source)
        values (%(id)s, %(tenant)s, %(reporter)s, %(category)s, %(description)s,
                %(sensitive)s,
                case when %(lat)s::float8 is null then null else
                  extensions.st_setsrid(extensions.st_makepoint(%(lon)s::float8, %(lat)s::float8),
                                        4326)::extensions.geography end,
                %(address)s, %(language)s, %(source)s)
        """,
        {"id": ticket_id, "tenant": tenant_id, "reporter": reporter_id, "category": category,
         "description": description, "sensitive": is_sensitive, "lat": latitude,
         "lon": longitude, "address": address, "language": language, "source": source},
    )


async def _file_protected(
    conn: Conn, *, ticket_id: UUID, tenant_id: UUID, reporter_id: UUID | None,
    category: str, ciphertext: str, latitude: float | None, longitude: float | None,
    address: str | None, language: str, source: str,
) -> None:
    cur = await conn.execute("select current_user as role")
    row = await cur.fetchone()
    previous = row["role"] if row else "service_role"
    await conn.execute("set local role service_role")
    # On an error the transaction is rolled back, and `set local` with it.
    await conn.execute(
        "select private.file_protected_report(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (ticket_id, tenant_id, reporter_id, category, ciphertext, latitude, longitude,
         address, language, source))
    await conn.execute("select set_config('role', %s, true)", (previous,))


async def report_receipt(conn: Conn, ticket_id: UUID) -> Row | None:
    cur = await conn.execute("select private.report_receipt(%s) as receipt", (ticket_id,))
    row = await cur.fetchone()
    return row["receipt"] if row else None


# Sort orders of the list: (ORDER BY, the keyset column expression, direction). No deadline
# sorts last (a far date Python can still read, not 'infinity'); 0013 indexes the expression.
NO_DEADLINE = "coalesce(t.sla_resolution_deadline, '9999-12-31 00:00:00+00'::timestamptz)"
SORTS: dict[str, tuple[str, str, str]] = {
    "newest": ("t.created_at desc, t.id desc", "t.created_at", "<"),
    "oldest": ("t.created_at, t.id", "t.created_at", ">"),
    "deadline": (f"{NO_DEADLINE}, t.id", NO_DEADLINE, ">"),
    "updated": ("t.updated_at desc, t.id desc", "t.updated_at", "<"),
}
TRACKING_LIKE = re.compile(r"^[A-Za-z]{2,8}-[0-9]{4}(-[0-9]{1,6})?$")


def ticket_filters(*, tenant_id: UUID, sensitive: bool | None,
                   filters: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """WHERE clauses and parameters for the list, the export and the counts."""
    where = ["t.tenant_id = %(tenant)s"]
    params: dict[str, Any] = {"tenant": tenant_id}
    if sensitive is not None:
        where.append("t.is_sensitive = %(sensitive)s")
        params["sensitive"] = sensitive
    for column in ("status", "category", "assigned_team_id", "assigned_to", "priority"):
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
    query = (filters.get("q") or "").strip()
    if query and TRACKING_LIKE.match(query):
        # [prefix, next prefix) in the C collation: leakproof comparisons RLS lets an
        # index serve (LIKE is not leakproof); migration 0021 has the index
        prefix = query.upper()
        where.append('t.tracking_number collate "C" >= %(q_from)s'
                     ' and t.tracking_number collate "C" < %(q_to)s')
        params["q_from"], params["q_to"] = prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)
    elif query:
        # the trigram search runs in a helper that returns only readable tickets (0021)
        where.append("t.id in (select private.readable_tickets_at_address(%(q_text)s))")
        params["q_text"] = "%" + re.sub(r"([%_\\])", r"\\\1", query) + "%"
    return where, params


async def list_tickets(
    conn: Conn,
    *,
    tenant_id: UUID,
    sensitive: bool | None,
    filters: dict[str, Any],
    sort: str,
    after: tuple[Any, UUID] | None,
    limit: int,
) -> list[Row]:
    """One page in `sort` order after the keyset `after`; `sensitive` None = both kinds
    (RLS still decides)."""
    order, key, op = SORTS[sort]
    where, params = ticket_filters(tenant_id=tenant_id, sensitive=sensitive, filters=filters)
    params["limit"] = limit
    if after is not None:
        where.append(f"({key}, t.id) {op} (%(after_key)s, %(after_id)s)")
        params["after_key"], params["after_id"] = after
    cur = await conn.execute(
        f"""
        select {SUMMARY_COLUMNS}, {key} as sort_key
          from public.tickets t
          left join public.teams tm on tm.id = t.assigned_team_id
          left join public.profiles ap on ap.id = t.assigned_to
         where {" and ".join(where)}
         order by {order}
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
          left join public.profiles ap on ap.id = t.assigned_to
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


async def set_priority(conn: Conn, *, ticket_id: UUID, priority: str) -> int:
    cur = await conn.execute(
        "update public.tickets set priority = %s where id = %s", (priority, ticket_id))
    return cur.rowcount


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


async def tickets_of_reporter(conn: Conn, reporter_id: UUID) -> list[Row]:
    cur = await conn.execute(
        """
        select t.tracking_number, t.category, t.is_sensitive, tm.name as team_name
          from public.tickets t left join public.teams tm on tm.id = t.assigned_team_id
         where t.reporter_id = %s order by t.created_at, t.tracking_number
        """, (reporter_id,))
    return await cur.fetchall()
