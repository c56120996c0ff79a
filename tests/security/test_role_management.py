"""Roles change only by an admin of the same municipality, never above the
admin's own; field workers cannot re-route; nothing references another tenant."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.security.world import build_world
from tests.support.db import act_as, fetch_all
from tests.support.tenants import Tenant


async def rowcount(db: AsyncConnection[Any], sql: str, params: Any) -> int:
    cur = await db.execute(sql, params)
    return cur.rowcount


async def test_an_admin_changes_a_role_in_their_municipality(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims["admin"])
    assert await rowcount(db, "update public.profiles set role = 'field_worker' where id = %s",
                          (w["resident"],)) == 1
    await act_as(db, None)
    rows = await fetch_all(
        db, "select old_values, new_values, actor_role from public.audit_log"
        " where table_name = 'profiles' and record_id = %s and operation = 'UPDATE'",
        (str(w["resident"]),))
    assert rows == [{"old_values": {"role": "citizen"}, "new_values": {"role": "field_worker"},
                     "actor_role": "admin"}]


async def test_an_admin_of_another_municipality_changes_nothing(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, other_tenant.claims["admin"])
    assert await rowcount(db, "update public.profiles set role = 'admin' where id = %s",
                          (w["resident"],)) == 0


@pytest.mark.parametrize(("role", "target", "change"), [
    ("citizen", "self", "role = 'admin'"),
    ("field_worker", "self", "role = 'manager'"),
    ("manager", "self", "role = 'admin'"),
    ("saps_liaison", "self", "is_active = false"),
    ("admin", "self", "role = 'citizen'"),
    ("admin", "self", "deleted_at = now()"),
    ("citizen", "self", "phone = '+27820009999'"),
])
async def test_nobody_changes_their_own_standing(
    db: AsyncConnection[Any], tenant: Tenant, role: str, target: str, change: str
) -> None:
    await act_as(db, tenant.claims[role])
    with pytest.raises(psycopg.Error) as caught:
        await db.execute(f"update public.profiles set {change} where id = %s",
                         (tenant.users[role],))
    assert caught.value.sqlstate == "SA403"


@pytest.mark.parametrize("role", ["manager", "saps_liaison", "field_worker", "citizen"])
async def test_only_admins_change_other_peoples_profiles(
    db: AsyncConnection[Any], tenant: Tenant, role: str
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims[role])
    assert await rowcount(db, "update public.profiles set role = 'manager' where id = %s",
                          (w["crew"],)) == 0


async def test_a_deactivated_user_gets_no_new_token(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims["admin"])
    await db.execute("update public.profiles set is_active = false where id = %s", (w["crew"],))
    await act_as(db, None)
    rows = await fetch_all(db, "select public.custom_access_token_hook(%s::jsonb) as r",
                           (json.dumps({"user_id": str(w["crew"]), "claims": {}}),))
    assert rows[0]["r"]["error"]["http_code"] == 403


async def test_field_workers_change_status_but_do_not_reroute(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims["field_worker"])
    assert await rowcount(db, "update public.tickets set status = 'in_progress',"
                              " assigned_to = %s where id = %s",
                          (tenant.users["field_worker"], w["ticket_own"])) == 1
    for change in ("priority = 'urgent'", "assigned_team_id = null", "address = 'Elsewhere'"):
        await db.execute("savepoint s")
        with pytest.raises(psycopg.Error) as caught:
            await db.execute(f"update public.tickets set {change} where id = %s",
                             (w["ticket_own"],))
        assert caught.value.sqlstate == "SA403", change
        await db.execute("rollback to savepoint s")


async def test_managers_cannot_reference_another_municipalitys_teams_or_people(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await build_world(db, tenant)
    theirs = await build_world(db, other_tenant)
    await act_as(db, tenant.claims["manager"])
    attempts = [
        ("insert into public.team_members (team_id, user_id, tenant_id) values (%s, %s, %s)",
         (theirs["team"], mine["crew"], tenant.id)),
        ("insert into public.team_members (team_id, user_id, tenant_id) values (%s, %s, %s)",
         (mine["team"], theirs["crew"], tenant.id)),
        ("insert into public.ticket_assignments (tenant_id, ticket_id, team_id, is_current)"
         " values (%s, %s, %s, false)", (tenant.id, mine["ticket_own"], theirs["team"])),
        ("insert into public.teams (tenant_id, name, manager_id) values (%s, 'X team', %s)",
         (tenant.id, theirs["crew"])),
    ]
    for sql, params in attempts:
        await db.execute("savepoint s")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await db.execute(sql, params)
        await db.execute("rollback to savepoint s")
