"""No function callable by `authenticated` answers questions about rows the caller
cannot read, and none writes on behalf of another municipality."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.security.world import build_world
from tests.support.db import act_as, fetch_all
from tests.support.tenants import ROLES, Tenant


async def _as(db: AsyncConnection[Any], claims: dict[str, Any], query: str,
              params: Any) -> Any:
    await db.execute("savepoint s")
    try:
        await act_as(db, claims)
        rows = await fetch_all(db, query, params)
        return next(iter(rows[0].values())) if rows else None
    finally:
        await db.execute("rollback to savepoint s")


@pytest.mark.parametrize("role", ROLES)
async def test_who_filed_a_protected_report_is_answered_only_to_liaisons_and_admins(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant, role: str
) -> None:
    w = await build_world(db, tenant)
    query = "select private.reported_sensitive_ticket(%s) as x"
    answer = await _as(db, tenant.claims[role], query, (w["survivor"],))
    assert answer is (role in ("saps_liaison", "admin"))
    assert await _as(db, other_tenant.claims[role], query, (w["survivor"],)) is False


@pytest.mark.parametrize("role", ROLES)
async def test_membership_helpers_answer_only_staff_of_the_municipality(
    db: AsyncConnection[Any], tenant: Tenant, role: str
) -> None:
    w = await build_world(db, tenant)
    team = await _as(db, tenant.claims[role], "select private.team_in_my_tenant(%s) as x",
                     (w["team"],))
    person = await _as(db, tenant.claims[role], "select private.profile_in_my_tenant(%s) as x",
                       (w["resident"],))
    assert (team, person) == ((role != "citizen"),) * 2


async def test_the_gbv_access_log_takes_no_entry_for_another_municipalitys_media(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    for claims in (other_tenant.claims["admin"], tenant.claims["manager"]):
        await _as(db, claims, "select private.log_media_access(%s) as x", (w["media_sensitive"],))
    rows = await fetch_all(db, "select user_id from public.media_access_log where media_id = %s",
                           (w["media_sensitive"],))
    assert [r["user_id"] for r in rows] == [tenant.users["saps_liaison"]]  # the world's own


@pytest.mark.parametrize("call", [
    "select * from private.sla_policy_for(%s, 'gbv')",
    "select private.is_quarantined('evidence', %s::text)",
    "select private.file_protected_report(gen_random_uuid(), %s, null, 'gbv', 'gAAAAAx',"
    " null, null, null, 'en', 'web')",
    "select private.seal_audit_log(), %s",
    "select private.library_generation(%s)",
    "select private.seal_for_person(%s, 'words')",
    "select private.open_reason('x: pii:1:AAAA'), %s",
])
async def test_internal_helpers_are_not_callable_by_users(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant, call: str
) -> None:
    await act_as(db, tenant.claims["manager"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute(call, (other_tenant.id,))


async def test_assignment_history_is_written_by_the_database_alone(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims["manager"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute(
            "insert into public.ticket_assignments (tenant_id, ticket_id, team_id, assigned_by,"
            " reason) values (%s, %s, %s, %s, 'forged')",
            (tenant.id, w["ticket_others"], w["team"], tenant.users["admin"]))


async def test_a_manager_cannot_stretch_the_gbv_sla(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims["manager"])
    cur = await db.execute("update public.sla_policies set resolution_hours = 9999,"
                           " response_hours = 9999 where id = %s", (w["sla_gbv"],))
    assert cur.rowcount == 0
    await act_as(db, tenant.claims["saps_liaison"])
    cur = await db.execute("update public.sla_policies set response_hours = 2 where id = %s",
                           (w["sla_gbv"],))
    assert cur.rowcount == 1


@pytest.mark.parametrize("role", ROLES)
async def test_the_address_search_helper_answers_only_with_tickets_the_caller_reads(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant, role: str
) -> None:
    w = await build_world(db, tenant)
    tickets = [w["ticket_own"], w["ticket_others"], w["ticket_sensitive"]]
    await db.execute("update public.tickets set address = '7 Shared Lane, Langa'"
                     " where id = any(%s)", (tickets,))
    helper = ("select coalesce(array_agg(x order by x), '{}') as x"
              " from private.readable_tickets_at_address('%%shared lane%%') x")
    readable = ("select coalesce(array_agg(id order by id), '{}') as x from public.tickets"
                " where id = any(%s)")
    found = await _as(db, tenant.claims[role], helper, None)
    assert found == await _as(db, tenant.claims[role], readable, (tickets,))
    assert (w["ticket_sensitive"] in found) is (role in ("saps_liaison", "admin"))
    assert len(found) == {"citizen": 1, "field_worker": 1, "manager": 2, "saps_liaison": 1,
                          "admin": 3}[role]
    assert await _as(db, other_tenant.claims[role], helper, None) == []
