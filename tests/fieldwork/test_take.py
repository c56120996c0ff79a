"""POST /api/v1/tickets/{id}/take: a field worker takes their team's ticket on (open work
starts); never another municipality's, never what is done, never a citizen."""

from __future__ import annotations

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.dashboard.test_field_page import water_crew
from tests.dashboard.work import file_report
from tests.support.db import act_as
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


async def test_a_field_worker_takes_their_teams_ticket_and_nothing_else(
    api: httpx.AsyncClient, town: Tenant, other_tenant: Tenant
) -> None:
    await water_crew(api, town)
    ticket = await file_report(api, town)
    assert (await api.post(f"/api/v1/tickets/{ticket['id']}/take",
                           headers=other_tenant.auth("field_worker"))).status_code == 404
    assert (await api.post(f"/api/v1/tickets/{ticket['id']}/take",
                           headers=town.auth("citizen"))).status_code == 403
    taken = await api.post(f"/api/v1/tickets/{ticket['id']}/take",
                           headers=town.auth("field_worker"))
    assert taken.status_code == 200 and taken.json()["status"] == "in_progress", taken.text
    await api.patch(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "closed"},
                    headers=town.auth("manager"))
    again = await api.post(f"/api/v1/tickets/{ticket['id']}/take",
                           headers=town.auth("field_worker"))
    assert again.status_code == 409 and "closed" in again.text


async def test_in_the_database_a_field_worker_takes_only_for_themselves(
    api: httpx.AsyncClient, town: Tenant, database_url: str
) -> None:
    """Whatever the path (our API, the Data API): the assignee a field worker may set is
    themselves, within the ticket's team; anyone else, or another team, is refused."""
    await water_crew(api, town)
    ticket = await file_report(api, town)
    other = await api.post("/api/v1/teams", json={"name": "Other crew", "categories": ["roads"]},
                           headers=town.auth("manager"))
    attempts = {
        "someone else": ("assigned_to = %s", town.users["manager"]),
        "another team": ("assigned_team_id = %s", other.json()["id"]),
    }
    for what, (change, value) in attempts.items():
        async with await AsyncConnection.connect(database_url) as conn:
            await act_as(conn, town.claims["field_worker"])
            with pytest.raises(psycopg.Error) as refused:
                await conn.execute(f"update public.tickets set {change} where id = %s",
                                   (value, ticket["id"]))
            assert "field workers may change only" in str(refused.value) or \
                "reassign" in str(refused.value), what
