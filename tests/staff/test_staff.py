"""The staff list and the admin's role and activation changes, with the database's limits."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


async def test_managers_and_admins_see_the_staff_never_the_citizens(
    api: httpx.AsyncClient, town: Tenant
) -> None:
    listed = (await api.get("/api/v1/users", headers=town.auth("manager"))).json()
    assert {p["role"] for p in listed} == {"field_worker", "manager", "admin", "saps_liaison"}
    for role in ("citizen", "field_worker", "saps_liaison"):
        assert (await api.get("/api/v1/users", headers=town.auth(role))).status_code == 403


async def test_an_admin_changes_a_role_and_switches_someone_off(
    api: httpx.AsyncClient, town: Tenant
) -> None:
    worker = town.users["field_worker"]
    promoted = await api.patch(f"/api/v1/users/{worker}", json={"role": "manager"},
                               headers=town.auth("admin"))
    assert promoted.status_code == 200 and promoted.json()["role"] == "manager"
    off = await api.patch(f"/api/v1/users/{worker}", json={"is_active": False},
                          headers=town.auth("admin"))
    assert off.status_code == 200 and off.json()["is_active"] is False
    listed = (await api.get("/api/v1/users", headers=town.auth("admin"))).json()
    assert str(worker) not in [p["id"] for p in listed]
    everyone = (await api.get("/api/v1/users", params={"include_inactive": "true"},
                              headers=town.auth("admin"))).json()
    assert str(worker) in [p["id"] for p in everyone]


async def test_the_limits_hold(api: httpx.AsyncClient, town: Tenant,
                               other_tenant: Tenant) -> None:
    admin = town.users["admin"]
    assert (await api.patch(f"/api/v1/users/{admin}", json={"is_active": False},
                            headers=town.auth("admin"))).status_code == 403
    by_manager = await api.patch(f"/api/v1/users/{town.users['field_worker']}",
                                 json={"role": "admin"}, headers=town.auth("manager"))
    assert by_manager.status_code == 403
    assert (await api.patch(f"/api/v1/users/{town.users['field_worker']}",
                            json={"is_active": False},
                            headers=other_tenant.auth("admin"))).status_code == 404
    bad = await api.patch(f"/api/v1/users/{town.users['field_worker']}",
                          json={"role": "king"}, headers=town.auth("admin"))
    assert bad.status_code == 422 and "role" in bad.text
