"""SQL for setting up a municipality: teams, members, service areas, SLA policies.

The API's statements run as the caller (RLS: admins manage teams, managers their
municipality's ordinary teams; SAPS teams only admins). The `upsert_*` helpers at
the end are for seeding (demo, benches) as the owner.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

TEAM_COLUMNS = """
  t.id, t.name, t.categories, t.is_saps, t.is_default, t.is_active, t.manager_id,
  t.service_area is not null as has_service_area,
  case when t.service_area is null then null
       else extensions.st_asgeojson(t.service_area)::jsonb end as service_area,
  coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'full_name', p.full_name,
                                                 'role', p.role) order by p.full_name)
              from public.team_members m join public.profiles p on p.id = m.user_id
             where m.team_id = t.id), '[]') as members
"""


async def teams(conn: Conn, *, tenant_id: UUID) -> list[Row]:
    cur = await conn.execute(
        f"select {TEAM_COLUMNS} from public.teams t where t.tenant_id = %s"
        " order by t.is_active desc, t.name", (tenant_id,))
    return await cur.fetchall()


async def team(conn: Conn, *, team_id: UUID, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {TEAM_COLUMNS} from public.teams t where t.id = %s and t.tenant_id = %s",
        (team_id, tenant_id))
    return await cur.fetchone()


async def insert_team(conn: Conn, *, tenant_id: UUID, name: str, categories: list[str],
                      is_saps: bool, is_default: bool, manager_id: UUID | None) -> UUID:
    cur = await conn.execute(
        "insert into public.teams (tenant_id, name, categories, is_saps, is_default, manager_id)"
        " values (%s, %s, %s, %s, %s, %s) returning id",
        (tenant_id, name, categories, is_saps, is_default, manager_id))
    row = await cur.fetchone()
    assert row is not None
    return UUID(str(row["id"]))


TEAM_FIELDS = frozenset({"name", "categories", "is_default", "is_active", "manager_id"})


async def update_team(conn: Conn, *, team_id: UUID, fields: dict[str, Any]) -> int:
    assert set(fields) <= TEAM_FIELDS and fields
    assignments = ", ".join(f"{name} = %({name})s" for name in fields)
    cur = await conn.execute(
        f"update public.teams set {assignments} where id = %(id)s", {**fields, "id": team_id})
    return cur.rowcount


async def replace_members(conn: Conn, *, team_id: UUID, tenant_id: UUID,
                          user_ids: list[UUID]) -> None:
    await conn.execute(
        "delete from public.team_members where team_id = %s and not (user_id = any(%s))",
        (team_id, user_ids))
    for user_id in user_ids:
        await conn.execute(
            "insert into public.team_members (team_id, user_id, tenant_id) values (%s, %s, %s)"
            " on conflict do nothing", (team_id, user_id, tenant_id))


async def staff_in_municipality(conn: Conn, *, tenant_id: UUID, user_ids: list[UUID]) -> int:
    cur = await conn.execute(
        "select count(*) as n from public.profiles where tenant_id = %s and id = any(%s)"
        " and role <> 'citizen' and deleted_at is null", (tenant_id, user_ids))
    row = await cur.fetchone()
    return int(row["n"]) if row else 0


async def set_service_area(conn: Conn, *, team_id: UUID, geojson: dict[str, Any] | None) -> int:
    cur = await conn.execute(
        """
        update public.teams set service_area = case when %(g)s::text is null then null else
          extensions.st_multi(extensions.st_setsrid(extensions.st_geomfromgeojson(%(g)s), 4326))
            ::extensions.geography end
         where id = %(id)s
        """, {"g": json.dumps(geojson) if geojson is not None else None, "id": team_id})
    return cur.rowcount


async def sla_policies(conn: Conn, *, tenant_id: UUID) -> list[Row]:
    cur = await conn.execute(
        "select category, priority, response_hours::float8 as response_hours,"
        " resolution_hours::float8 as resolution_hours,"
        " warning_threshold::float8 as warning_threshold, is_active, updated_at"
        " from public.sla_policies where tenant_id = %s"
        " order by category, array_position(array['any', 'low', 'normal', 'high', 'urgent'],"
        " priority)", (tenant_id,))
    return await cur.fetchall()


# ---- seeding (demo, benches): as the owner --------------------------------------

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
    conn: Conn, *, team_id: UUID, user_id: UUID, tenant_id: UUID, is_backup: bool = False
) -> None:
    """`is_backup`: a SAPS liaison who takes a child case its first liaison missed."""
    await conn.execute(
        "insert into public.team_members (team_id, user_id, tenant_id, is_backup)"
        " values (%s, %s, %s, %s) on conflict do nothing",
        (team_id, user_id, tenant_id, is_backup))


async def upsert_sla_policy(
    conn: Conn, *, tenant_id: UUID, category: str, response_hours: float,
    resolution_hours: float, priority: str = "any",
) -> None:
    """Also what `PUT /api/v1/sla-policies` runs, as the caller (RLS decides who may)."""
    await conn.execute(
        """
        insert into public.sla_policies (tenant_id, category, priority, response_hours,
                                         resolution_hours)
        values (%s, %s, %s, %s, %s)
        on conflict (tenant_id, category, priority) do update
           set response_hours = excluded.response_hours,
               resolution_hours = excluded.resolution_hours, is_active = true
        """, (tenant_id, category, priority, response_hours, resolution_hours))
