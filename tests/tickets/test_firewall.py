"""The GBV firewall on every ticket endpoint: a sensitive report exists only
for its municipality's SAPS liaisons and admins; for everyone else it is 404."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.tenants import Tenant
from tests.tickets.conftest import City, file

BLIND = ["manager", "field_worker", "citizen"]


@pytest.fixture
async def gbv(api: httpx.AsyncClient, city: City) -> dict[str, Any]:
    return await file(api, city, category="gbv", sensitive=True, description="Sealed text")


def requests_for(ticket_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("GET", f"/api/v1/tickets/{ticket_id}", None),
        ("GET", f"/api/v1/tickets/{ticket_id}/history", None),
        ("PATCH", f"/api/v1/tickets/{ticket_id}/status", {"status": "in_progress"}),
        ("POST", f"/api/v1/tickets/{ticket_id}/assign", {}),
    ]


@pytest.mark.parametrize("role", BLIND)
async def test_a_sensitive_ticket_is_404_on_every_endpoint_for(
    api: httpx.AsyncClient, city: City, gbv: dict[str, Any], role: str
) -> None:
    for method, path, body in requests_for(gbv["id"]):
        response = await api.request(method, path, json=body, headers=city.auth(role))
        assert response.status_code == 404, (method, path, response.text)
        assert "Sealed" not in response.text
    listed = await api.get("/api/v1/tickets", params={"limit": 200}, headers=city.auth(role))
    assert listed.status_code == 200
    assert all(not item["is_sensitive"] for item in listed.json()["items"])
    assert gbv["id"] not in listed.text


async def test_another_municipalitys_admin_and_liaison_get_404(
    api: httpx.AsyncClient, gbv: dict[str, Any], other_tenant: Tenant
) -> None:
    for role in ("admin", "saps_liaison"):
        for method, path, body in requests_for(gbv["id"]):
            response = await api.request(method, path, json=body,
                                         headers=other_tenant.auth(role))
            assert response.status_code == 404, (role, method, path)


@pytest.mark.parametrize("role", ["saps_liaison", "admin"])
async def test_liaisons_and_admins_read_the_decrypted_text(
    api: httpx.AsyncClient, city: City, gbv: dict[str, Any], role: str
) -> None:
    response = await api.get(f"/api/v1/tickets/{gbv['id']}", headers=city.auth(role))
    assert response.status_code == 200
    detail = response.json()
    assert detail["description"] == "Sealed text" and detail["is_sensitive"]
    assert detail["assignments"][0]["team_id"] == str(city.teams["SAPS Liaison Desk"])
    history = await api.get(f"/api/v1/tickets/{gbv['id']}/history", headers=city.auth(role))
    reads = [e for e in history.json()["items"] if e["action"] == "decrypted_read"]
    assert reads and reads[-1]["actor_id"] == str(city.tenant.users[role])


async def test_the_liaison_list_holds_only_sensitive_tickets(
    api: httpx.AsyncClient, city: City, gbv: dict[str, Any]
) -> None:
    await file(api, city)
    saps = (await api.get("/api/v1/tickets", params={"limit": 200},
                          headers=city.auth("saps_liaison"))).json()["items"]
    assert saps and all(item["is_sensitive"] for item in saps)
    assert gbv["id"] in {item["id"] for item in saps}
    admin = (await api.get("/api/v1/tickets", params={"limit": 200},
                           headers=city.auth("admin"))).json()["items"]
    assert {True, False} <= {item["is_sensitive"] for item in admin}


async def test_an_ordinary_ticket_is_404_for_the_liaison(
    api: httpx.AsyncClient, city: City
) -> None:
    ordinary = await file(api, city)
    for method, path, body in requests_for(ordinary["id"]):
        response = await api.request(method, path, json=body,
                                     headers=city.auth("saps_liaison"))
        assert response.status_code == 404, (method, path)


async def test_a_sensitive_ticket_cannot_go_to_a_non_saps_team(
    api: httpx.AsyncClient, city: City, gbv: dict[str, Any]
) -> None:
    response = await api.post(f"/api/v1/tickets/{gbv['id']}/assign",
                              json={"team_id": str(city.teams["Water North"])},
                              headers=city.auth("admin"))
    assert response.status_code == 422
    assert "SAPS" in response.json()["detail"]


async def test_unknown_and_malformed_ids(api: httpx.AsyncClient, city: City) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    for method, path, body in requests_for(missing):
        response = await api.request(method, path, json=body, headers=city.auth("admin"))
        assert response.status_code == 404, (method, path)
    malformed = await api.get("/api/v1/tickets/not-a-uuid", headers=city.auth("admin"))
    assert malformed.status_code == 422
