"""The municipality's WhatsApp number: staff read it, only its admins change it (the
database's policy, 0018), a number another municipality uses is a conflict, and bad input
names the field and changes nothing."""

from __future__ import annotations

import uuid

import httpx
import pytest

from app.config import Settings
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


def a_number() -> str:
    return f"+2721{uuid.uuid4().int % 10**7:07d}"


async def test_an_admin_sets_the_number_and_staff_read_it(
    api: httpx.AsyncClient, town: Tenant
) -> None:
    number = a_number()
    changed = await api.patch("/api/v1/municipality", json={"whatsapp_number": number},
                              headers=town.auth("admin"))
    assert changed.status_code == 200 and changed.json()["whatsapp_number"] == number
    for role in ("field_worker", "manager", "saps_liaison"):
        seen = await api.get("/api/v1/municipality", headers=town.auth(role))
        assert seen.json()["whatsapp_number"] == number, role
    assert (await api.get("/api/v1/municipality", headers=town.auth("citizen"))).status_code \
        == 403
    cleared = await api.patch("/api/v1/municipality", json={"whatsapp_number": None},
                              headers=town.auth("admin"))
    assert cleared.json()["whatsapp_number"] is None


async def test_only_its_admins_change_it_and_never_to_another_towns_number(
    api: httpx.AsyncClient, town: Tenant, other_tenant: Tenant
) -> None:
    theirs = a_number()
    await api.patch("/api/v1/municipality", json={"whatsapp_number": theirs},
                    headers=other_tenant.auth("admin"))
    for role in ("manager", "saps_liaison", "field_worker", "citizen"):
        refused = await api.patch("/api/v1/municipality", json={"whatsapp_number": a_number()},
                                  headers=town.auth(role))
        assert refused.status_code == 403, role
    taken = await api.patch("/api/v1/municipality", json={"whatsapp_number": theirs},
                            headers=town.auth("admin"))
    assert taken.status_code == 409
    for bad in ("0215550100", "+27 21 555", "call me", 27215550100):
        answer = await api.patch("/api/v1/municipality", json={"whatsapp_number": bad},
                                 headers=town.auth("admin"))
        assert answer.status_code == 422 and "whatsapp_number" in answer.text, bad
    unchanged = await api.get("/api/v1/municipality", headers=town.auth("admin"))
    assert unchanged.json()["whatsapp_number"] is None
    assert (await api.get("/api/v1/municipality", headers=other_tenant.auth("admin"))).json()[
        "whatsapp_number"] == theirs
