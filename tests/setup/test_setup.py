"""Setting up a municipality through the API: teams, members by name, service areas from
GeoJSON, SLA policies — each as RLS allows (admins all; managers ordinary teams)."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from tests.support.tenants import Tenant
from tests.tickets.conftest import City, build_city

SQUARE = {"type": "Polygon", "coordinates": [[[18.4, -33.9], [18.5, -33.9], [18.5, -33.8],
                                               [18.4, -33.8], [18.4, -33.9]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


async def test_a_manager_creates_a_team_staffs_it_and_draws_its_area(
    api: httpx.AsyncClient, town: City
) -> None:
    headers = town.auth("manager")
    created = await api.post("/api/v1/teams", json={"name": "Parks", "categories": ["other"]},
                             headers=headers)
    assert created.status_code == 201, created.text
    team = created.json()
    worker = town.members["Roads"][0]
    staffed = await api.put(f"/api/v1/teams/{team['id']}/members",
                            json={"user_ids": [str(worker)]}, headers=headers)
    assert [m["full_name"] for m in staffed.json()["members"]] == ["Roads worker 0"]
    area = await api.put(f"/api/v1/teams/{team['id']}/service-area", json=SQUARE,
                         headers=headers)
    assert area.status_code == 200 and area.json()["service_area"]["type"] == "MultiPolygon"
    renamed = await api.patch(f"/api/v1/teams/{team['id']}", json={"name": "Parks & Verges"},
                              headers=headers)
    assert renamed.json()["name"] == "Parks & Verges"
    listed = (await api.get("/api/v1/teams", headers=town.auth("field_worker"))).json()
    assert "Parks & Verges" in [t["name"] for t in listed]


async def test_bad_areas_and_people_are_422_naming_the_field(
    api: httpx.AsyncClient, town: City, other_tenant: Tenant
) -> None:
    team_id = town.teams["Roads"]
    headers = town.auth("admin")
    for body in (BOWTIE, {"type": "Point", "coordinates": [18.4, -33.9]},
                 {"type": "Polygon", "coordinates": [[[1, 2]]]}):
        response = await api.put(f"/api/v1/teams/{team_id}/service-area", json=body,
                                 headers=headers)
        assert response.status_code == 422, body
        assert "service_area" in response.text or "type" in response.text
    stranger = other_tenant.users["field_worker"]
    response = await api.put(f"/api/v1/teams/{team_id}/members",
                             json={"user_ids": [str(stranger)]}, headers=headers)
    assert response.status_code == 422 and "user_ids" in response.text
    citizen = town.tenant.users["citizen"]
    response = await api.put(f"/api/v1/teams/{team_id}/members",
                             json={"user_ids": [str(citizen)]}, headers=headers)
    assert response.status_code == 422


async def test_only_admins_touch_saps_teams_and_only_staff_set_up(
    api: httpx.AsyncClient, town: City, other_tenant: Tenant
) -> None:
    saps = town.teams["SAPS Liaison Desk"]
    manager = town.auth("manager")
    assert (await api.patch(f"/api/v1/teams/{saps}", json={"name": "x desk"},
                            headers=manager)).status_code == 403
    assert (await api.post("/api/v1/teams", json={"name": "Desk 2", "categories": ["gbv"],
                                                   "is_saps": True},
                           headers=manager)).status_code == 403
    for role in ("citizen", "field_worker", "saps_liaison"):
        response = await api.post("/api/v1/teams", json={"name": "Nope", "categories": ["roads"]},
                                  headers=town.auth(role))
        assert response.status_code == 403, role
    assert (await api.patch(f"/api/v1/teams/{town.teams['Roads']}", json={"name": "Mine now"},
                            headers=other_tenant.auth("admin"))).status_code == 404


async def test_sla_policies_are_set_per_category(api: httpx.AsyncClient, town: City) -> None:
    body = {"policies": [{"category": "roads", "response_hours": 24, "resolution_hours": 120}]}
    response = await api.put("/api/v1/sla-policies", json=body, headers=town.auth("manager"))
    assert response.status_code == 200, response.text
    roads = next(p for p in response.json() if p["category"] == "roads")
    assert (roads["response_hours"], roads["resolution_hours"]) == (24, 120)
    upside_down = {"policies": [{"category": "roads", "response_hours": 48,
                                 "resolution_hours": 2}]}
    response = await api.put("/api/v1/sla-policies", json=upside_down,
                             headers=town.auth("manager"))
    assert response.status_code == 422 and "resolution_hours" in response.text
    assert (await api.put("/api/v1/sla-policies", json=body,
                          headers=town.auth("field_worker"))).status_code == 403
