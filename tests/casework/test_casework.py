"""SAPS casework on protected reports: opened at filing, worked by liaisons and admins only."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from tests.tickets.conftest import City, build_city, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


async def test_a_protected_report_opens_casework_that_says_do_not_contact(
    api: httpx.AsyncClient, town: City
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    queue = (await api.get("/api/v1/casework", headers=town.auth("saps_liaison"))).json()
    case = next(c for c in queue if c["ticket_id"] == ticket["id"])
    assert case["contact_preference"] == "do_not_contact" and case["channel"] == "web"
    assert case["acknowledged_at"] is None and case["sla_response_deadline"]


async def test_a_liaison_acknowledges_once_and_records_the_case_number(
    api: httpx.AsyncClient, town: City
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    url = f"/api/v1/tickets/{ticket['id']}/casework"
    first = await api.patch(url, json={"acknowledge": True, "cas_number": "CAS 123/11/2026",
                                       "referral_status": "referred"},
                            headers=town.auth("saps_liaison"))
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["acknowledged_at"] and body["cas_number"] == "CAS 123/11/2026"
    again = await api.patch(url, json={"acknowledge": True}, headers=town.auth("admin"))
    assert again.json()["acknowledged_at"] == body["acknowledged_at"]
    assert again.json()["acknowledged_by"] == str(town.tenant.users["saps_liaison"])
    bad = await api.patch(url, json={"cas_number": "123"}, headers=town.auth("saps_liaison"))
    assert bad.status_code == 422 and "cas_number" in bad.text


async def test_nobody_else_learns_that_casework_exists(
    api: httpx.AsyncClient, town: City, other_tenant
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    url = f"/api/v1/tickets/{ticket['id']}/casework"
    for headers in (town.auth("manager"), town.auth("field_worker"), town.auth("citizen"),
                    other_tenant.auth("saps_liaison"), other_tenant.auth("admin")):
        assert (await api.get(url, headers=headers)).status_code == 404
        assert (await api.patch(url, json={"acknowledge": True},
                                headers=headers)).status_code == 404
        assert (await api.get("/api/v1/casework", headers=headers)).json() == []
