"""Routing by area, category and load; assignment by hand; the RPC; history."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.support.db import act_as
from tests.tickets.conftest import IN_NORTH, City, build_city, fetch, file


@pytest.fixture
async def town(database_url: str, settings: Settings) -> City:
    """A fresh municipality, so member loads start at zero."""
    return await build_city(database_url, settings.supabase_jwt_secret)


async def test_within_a_team_the_least_loaded_member_gets_the_ticket(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection[Any]
) -> None:
    members = town.members["Water North"]
    receipts = [await file(api, town, where=IN_NORTH) for _ in members]
    rows = await fetch(owner, "select assigned_to from public.tickets where id = any(%s::uuid[])",
                       [r["id"] for r in receipts])
    assert sorted(str(r["assigned_to"]) for r in rows) == sorted(str(m) for m in members)

    # Closing one member's ticket makes them the least loaded.
    [freed] = await fetch(owner, "select id, assigned_to from public.tickets where id = %s",
                          receipts[1]["id"])
    closed = await api.patch(f"/api/v1/tickets/{freed['id']}/status", json={"status": "closed"},
                             headers=town.auth("manager"))
    assert closed.status_code == 200
    nxt = await file(api, town, where=IN_NORTH)
    [row] = await fetch(owner, "select assigned_to from public.tickets where id = %s", nxt["id"])
    assert row["assigned_to"] == freed["assigned_to"]


async def test_a_manager_assigns_by_hand_and_history_records_each_move(
    api: httpx.AsyncClient, town: City
) -> None:
    ticket = await file(api, town, where=IN_NORTH)
    worker = town.members["Water Standby"][0]
    moved = await api.post(
        f"/api/v1/tickets/{ticket['id']}/assign",
        json={"team_id": str(town.teams["Water Standby"]), "assigned_to": str(worker),
              "reason": "North crew is on leave"},
        headers=town.auth("manager"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["assigned_team_name"] == "Water Standby"
    back = await api.post(f"/api/v1/tickets/{ticket['id']}/assign", json={},
                          headers=town.auth("manager"))
    assert back.json()["assigned_team_id"] == str(town.teams["Water North"])

    history = (await api.get(f"/api/v1/tickets/{ticket['id']}/history",
                             headers=town.auth("manager"))).json()["items"]
    assignments = [e for e in history if e["kind"] == "assignment"]
    assert [e["details"]["team_name"] for e in assignments] == \
        ["Water North", "Water Standby", "Water North"]
    assert [e["details"]["reason"] for e in assignments] == \
        ["routed on filing", "North crew is on leave", "auto-routed"]
    assert [e["details"]["is_current"] for e in assignments] == [False, False, True]
    assert assignments[1]["actor_id"] == str(town.tenant.users["manager"])
    assert [e["at"] for e in history] == sorted(e["at"] for e in history)


async def test_bad_assignments_are_clear_4xx(api: httpx.AsyncClient, town: City) -> None:
    ticket = await file(api, town, where=IN_NORTH)
    url = f"/api/v1/tickets/{ticket['id']}/assign"
    cases: list[tuple[str, dict[str, Any], int]] = [
        ("manager", {"team_id": str(town.teams["SAPS Liaison Desk"])}, 422),
        ("manager", {"team_id": str(town.teams["Roads"]),
                     "assigned_to": str(town.members["Water North"][0])}, 422),
        ("manager", {"team_id": "00000000-0000-4000-8000-000000000000"}, 404),
        ("manager", {"assigned_to": str(town.members["Roads"][0])}, 422),
        ("field_worker", {}, 403),
        ("citizen", {}, 403),
    ]
    for role, body, expected in cases:
        response = await api.post(url, json=body, headers=town.auth(role))
        assert response.status_code == expected, (role, body, response.text)


async def test_route_ticket_is_an_rpc_for_managers_and_admins(
    api: httpx.AsyncClient, town: City, db: AsyncConnection[Any]
) -> None:
    ordinary = await file(api, town, category="waste")
    gbv = await file(api, town, category="gbv", sensitive=True)
    await db.execute("update public.teams set categories = '{waste}' where id = %s",
                     (town.teams["Roads"],))
    await act_as(db, town.tenant.claims["manager"])
    [row] = await fetch(db, "select public.route_ticket(%s) as team", ordinary["id"])
    assert row["team"] == town.teams["Roads"]
    with pytest.raises(psycopg.Error) as refused:
        await db.execute("select public.route_ticket(%s)", (gbv["id"],))
    assert refused.value.sqlstate == "SA404"


async def test_citizens_cannot_call_the_routing_rpc(
    api: httpx.AsyncClient, town: City, db: AsyncConnection[Any]
) -> None:
    ticket = await file(api, town)
    await act_as(db, town.tenant.claims["citizen"])
    with pytest.raises(psycopg.Error) as refused:
        await db.execute("select public.route_ticket(%s)", (ticket["id"],))
    assert refused.value.sqlstate == "SA403"
