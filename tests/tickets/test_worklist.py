"""The staff list: search, more filters, every sort order walked by keyset without a cap,
the CSV export of the same filter, and priority."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.tickets.conftest import City, build_city, fetch, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


async def walk(api: httpx.AsyncClient, town: City, role: str, **params: str) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        response = await api.get("/api/v1/tickets", params=query, headers=town.auth(role))
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_every_sort_order_walks_through_everything_once(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    filed = [await file(api, town) for _ in range(5)]
    # Spread the deadlines so "deadline" has an order of its own; one has none.
    for offset, ticket in enumerate(filed):
        await owner.execute(
            "update public.tickets set sla_resolution_deadline = case when %s = 2 then null"
            " else now() + make_interval(hours => 10 - %s) end where id = %s",
            (offset, offset, ticket["id"]))
    ids = {t["id"] for t in filed}
    for sort in ("newest", "oldest", "deadline", "updated"):
        seen = [i["id"] for i in await walk(api, town, "manager", sort=sort)]
        assert len(seen) == len(set(seen)), sort
        assert ids <= set(seen), sort
    by_deadline = [i["id"] for i in await walk(api, town, "manager", sort="deadline")
                   if i["id"] in ids]
    assert by_deadline == [filed[4]["id"], filed[3]["id"], filed[1]["id"], filed[0]["id"],
                           filed[2]["id"]]


async def test_a_cursor_of_another_sort_order_is_422(api: httpx.AsyncClient, town: City) -> None:
    await file(api, town)
    await file(api, town)
    await file(api, town)
    page = (await api.get("/api/v1/tickets", params={"limit": 1, "sort": "oldest"},
                          headers=town.auth("manager"))).json()
    response = await api.get("/api/v1/tickets", params={"cursor": page["next_cursor"]},
                             headers=town.auth("manager"))
    assert response.status_code == 422
    assert "sort" in response.json()["detail"]


async def test_search_by_tracking_number_or_address(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    target = await file(api, town, where=None)
    await owner.execute("update public.tickets set address = '14 Kerkstraat, 50%% off'"
                        " where id = %s", (target["id"],))
    by_number = await walk(api, town, "manager", q=target["tracking_number"].lower())
    assert [i["id"] for i in by_number] == [target["id"]]
    by_words = await walk(api, town, "manager", q="kerkstraat")
    assert target["id"] in [i["id"] for i in by_words]
    assert await walk(api, town, "manager", q="50% off") != []
    literal = await walk(api, town, "manager", q="%")  # a wildcard is just a character
    assert literal and all("%" in (i["address"] or "") for i in literal)


async def test_filter_by_assignee_and_priority_and_names_shown(
    api: httpx.AsyncClient, town: City
) -> None:
    ticket = await file(api, town)
    response = await api.patch(f"/api/v1/tickets/{ticket['id']}", json={"priority": "urgent"},
                               headers=town.auth("manager"))
    assert response.status_code == 200 and response.json()["priority"] == "urgent"
    urgent = await walk(api, town, "manager", priority="urgent")
    assert [i["id"] for i in urgent] == [ticket["id"]]
    assignee = urgent[0]["assigned_to"]
    assert assignee and urgent[0]["assigned_to_name"]
    mine = await walk(api, town, "manager", assigned_to=assignee, priority="urgent")
    assert [i["id"] for i in mine] == [ticket["id"]]


async def test_priority_is_for_those_who_assign(api: httpx.AsyncClient, town: City) -> None:
    ticket = await file(api, town)
    for role, status in (("field_worker", 403), ("citizen", 403), ("saps_liaison", 404)):
        response = await api.patch(f"/api/v1/tickets/{ticket['id']}",
                                   json={"priority": "high"}, headers=town.auth(role))
        assert response.status_code == status, role
    bad = await api.patch(f"/api/v1/tickets/{ticket['id']}", json={"priority": "asap"},
                          headers=town.auth("manager"))
    assert bad.status_code == 422 and "priority" in bad.text


async def test_the_export_is_the_filtered_list_and_never_a_protected_report(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    roads = [await file(api, town, category="roads") for _ in range(3)]
    sensitive = await file(api, town, category="gbv", sensitive=True, where=None)
    await owner.execute("update public.tickets set address = '=HYPERLINK(\"x\")'"
                        " where id = %s", (roads[0]["id"],))
    response = await api.get("/api/v1/tickets/export.csv", params={"category": "roads"},
                             headers=town.auth("manager"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    numbers = {r["tracking_number"] for r in rows}
    assert {t["tracking_number"] for t in roads} <= numbers
    assert all(r["category"] == "roads" for r in rows)
    assert all(not r["address"].startswith("=") for r in rows)  # no spreadsheet formulas
    everything = (await api.get("/api/v1/tickets/export.csv",
                                headers=town.auth("manager"))).text
    assert sensitive["tracking_number"] not in everything
    liaison = (await api.get("/api/v1/tickets/export.csv",
                             headers=town.auth("saps_liaison"))).text
    assert sensitive["tracking_number"] in liaison and roads[0]["tracking_number"] not in liaison
    assert (await api.get("/api/v1/tickets/export.csv",
                          headers=town.auth("citizen"))).status_code == 403
    count = await fetch(owner, "select count(*) as n from public.tickets where tenant_id = %s"
                        " and not is_sensitive", town.tenant.id)
    assert len(list(csv.DictReader(io.StringIO(everything)))) == count[0]["n"]


async def test_the_detail_carries_notes_and_files(api: httpx.AsyncClient, town: City) -> None:
    ticket = await file(api, town)
    await api.post(f"/api/v1/tickets/{ticket['id']}/notes", json={"body": "Crew on the way"},
                   headers=town.auth("manager"))
    detail = (await api.get(f"/api/v1/tickets/{ticket['id']}",
                            headers=town.auth("manager"))).json()
    assert [n["body"] for n in detail["notes"]] == ["Crew on the way"]
    assert detail["media"] == []
    mine = (await api.get(f"/api/v1/tickets/{ticket['id']}", headers=town.auth("citizen"))).json()
    assert mine["notes"] is None  # internal notes never reach the citizen
