"""GET /tickets: newest first, cursor pages, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.config import Settings
from tests.tickets.conftest import City, build_city, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


async def test_pages_follow_the_cursor_newest_first(api: httpx.AsyncClient, town: City) -> None:
    filed = [await file(api, town) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/api/v1/tickets", params=params,
                              headers=town.auth("manager"))).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [r["id"] for r in reversed(filed)]


async def test_filters(api: httpx.AsyncClient, town: City) -> None:
    roads = await file(api, town, category="roads")
    headers = town.auth("manager")
    by_category = (await api.get("/api/v1/tickets", params={"category": "roads"},
                                 headers=headers)).json()["items"]
    assert [i["id"] for i in by_category] == [roads["id"]]
    by_team = (await api.get("/api/v1/tickets",
                             params={"assigned_team_id": str(town.teams["Roads"])},
                             headers=headers)).json()["items"]
    assert [i["id"] for i in by_team] == [roads["id"]]
    assert by_team[0]["assigned_team_name"] == "Roads"
    closed = (await api.get("/api/v1/tickets", params={"status": "closed"},
                            headers=headers)).json()["items"]
    assert closed == []
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert (await api.get("/api/v1/tickets", params={"created_from": future},
                          headers=headers)).json()["items"] == []
    assert (await api.get("/api/v1/tickets", params={"created_to": future},
                          headers=headers)).json()["items"]


async def test_a_field_worker_sees_their_teams_tickets_and_a_citizen_their_own(
    api: httpx.AsyncClient, town: City
) -> None:
    roads = await file(api, town, category="roads")
    worker = (await api.get("/api/v1/tickets", params={"limit": 200},
                            headers=town.auth("field_worker"))).json()["items"]
    assert worker and roads["id"] not in {i["id"] for i in worker}
    assert {i["assigned_team_id"] for i in worker} == {str(town.teams["Water North"])}
    mine = (await api.get("/api/v1/tickets", params={"limit": 200},
                          headers=town.auth("citizen"))).json()["items"]
    assert roads["id"] in {i["id"] for i in mine}


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 201}, {"status": "lost"}, {"sla_status": "late"},
    {"cursor": "!!!"}, {"assigned_team_id": "nope"}, {"created_from": "yesterday"},
])
async def test_bad_parameters_are_422(api: httpx.AsyncClient, town: City,
                                      params: dict[str, object]) -> None:
    response = await api.get("/api/v1/tickets", params=params, headers=town.auth("manager"))
    assert response.status_code == 422, params
