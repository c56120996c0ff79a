"""The caller is who the database says they are now: a deactivated, deleted or
demoted account stops on its next statement on every surface (the API's tables,
Storage's objects, Realtime's channels), without waiting for its token to expire."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app import dbadmin
from tests.security.world import build_world
from tests.support.db import act_as, fetch_all
from tests.support.tenants import Tenant, create_tenant


async def _sees(db: AsyncConnection[Any], claims: dict[str, Any], w: Any) -> dict[str, int]:
    await db.execute("savepoint s")
    await act_as(db, claims)
    await db.execute("select set_config('realtime.topic', %s, true)",
                     (f"municipality:{w.tenant.id}",))
    counts = {}
    for name, query in {
        "tickets": "select count(*) as n from public.tickets",
        "profiles": "select count(*) as n from public.profiles",
        "objects": "select count(*) as n from storage.objects",
        "channel": "select count(*) as n from realtime.messages where id = %(probe)s",
        "role": "select count(private.app_role()) as n",
    }.items():
        counts[name] = (await fetch_all(db, query, {"probe": w["probe"]}))[0]["n"]
    await db.execute("rollback to savepoint s")
    return counts


async def _world(db: AsyncConnection[Any], tenant: Tenant) -> Any:
    w = await build_world(db, tenant)
    path = f"{tenant.id}/{w['ticket_others']}/seen.jpg"
    await db.execute("insert into storage.objects (bucket_id, name, owner_id, metadata)"
                     " values ('evidence', %s, %s, '{}')", (path, str(w["resident"])))
    await db.execute("update public.media_attachments set scan_status = 'clean'"
                     " where path = %s", (path,))
    cur = await db.execute("insert into realtime.messages (topic, extension, payload, event,"
                           " private) values (%s, 'broadcast', '{}', 'probe', true) returning id",
                           (f"municipality:{tenant.id}",))
    w.ids["probe"] = (await cur.fetchone())["id"]  # type: ignore[index]
    return w


@pytest.mark.parametrize("change", [
    "is_active = false", "deleted_at = now()", "role = 'citizen'",
])
async def test_a_manager_stops_on_the_next_statement(
    db: AsyncConnection[Any], tenant: Tenant, change: str
) -> None:
    w = await _world(db, tenant)
    claims = tenant.claims["manager"]
    before = await _sees(db, claims, w)
    assert all(before.values()), before
    await db.execute(f"update public.profiles set {change} where id = %s",
                     (tenant.users["manager"],))
    after = await _sees(db, claims, w)
    assert after == {"tickets": 0, "profiles": 0, "objects": 0, "channel": 0, "role": 0}


async def test_a_deactivated_municipality_stops_its_people(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await _world(db, tenant)
    await db.execute("update public.municipalities set is_active = false where id = %s",
                     (tenant.id,))
    assert (await _sees(db, tenant.claims["admin"], w))["tickets"] == 0


async def test_a_token_naming_another_municipality_than_the_profile_gets_nothing(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    w = await _world(db, tenant)
    forged = {**tenant.claims["admin"],
              "app_metadata": {"tenant_id": str(other_tenant.id), "role": "admin"}}
    assert (await _sees(db, forged, w))["role"] == 0


async def test_the_api_stops_a_deactivated_user_before_their_token_expires(
    api: httpx.AsyncClient, database_url: str, settings: Any
) -> None:
    town = await create_tenant(database_url, settings.supabase_jwt_secret,
                               roles=("manager", "admin"))
    listed = await api.get("/api/v1/tickets", headers=town.auth("manager"))
    assert listed.status_code == 200
    deactivate = await api.get("/api/v1/me", headers=town.auth("admin"))
    assert deactivate.status_code == 200
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("update public.profiles set is_active = false where id = %s",
                           (town.users["manager"],))
        await conn.commit()
    for path in ("/api/v1/me", "/api/v1/tickets", "/api/v1/stats"):
        refused = await api.get(path, headers=town.auth("manager"))
        assert refused.status_code == 401, path
        assert "sign in again" in refused.json()["detail"]


async def test_the_caller_is_looked_up_once_per_statement_not_once_per_row(
    database_url: str, tenant: Tenant
) -> None:
    # Counting function calls needs track_functions, a superuser setting: measure on the
    # cluster superuser's connection (the plan is the same), and roll everything back.
    url = dbadmin.with_user(database_url, dbadmin.LOCAL_SUPERUSER)
    async with await AsyncConnection.connect(url, row_factory=dict_row) as db:
        await db.execute("set local track_functions = 'all'")
        await db.execute(
            "insert into public.tickets (tenant_id, reporter_id, category, description)"
            " select %s, %s, 'water', 'Leak ' || g from generate_series(1, 300) g",
            (tenant.id, tenant.users["citizen"]))
        await act_as(db, tenant.claims["manager"])
        seen = (await fetch_all(db, "select count(*) as n from public.tickets"))[0]["n"]
        await act_as(db, None)
        calls = (await fetch_all(
            db, "select pg_stat_get_xact_function_calls('private.caller()'::regprocedure)"
                " as n"))[0]
        await db.rollback()
    assert seen >= 300
    assert 1 <= calls["n"] <= 4, calls
