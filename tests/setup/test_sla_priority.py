"""SLA policies per category and priority: a priority's own policy overrides the category's
baseline ('any'); deadlines follow a change of priority, counted from filing; without a
policy the defaults hold (24 h / 72 h)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from app.config import Settings
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


def hours(ticket: dict[str, str], field: str) -> float:
    delta = datetime.fromisoformat(ticket[field]) - datetime.fromisoformat(ticket["created_at"])
    return round(delta / timedelta(hours=1), 2)


async def report(api: httpx.AsyncClient, town: Tenant, category: str) -> str:
    filed = await api.post("/api/v1/reports", headers=town.auth("citizen"), json={
        "category": category, "description": "Needs fixing", "address": "3 Church Street"})
    assert filed.status_code == 201, filed.text
    return str(filed.json()["id"])


async def test_a_priority_policy_overrides_the_category_baseline(
    api: httpx.AsyncClient, town: Tenant
) -> None:
    body = {"policies": [
        {"category": "water", "response_hours": 12, "resolution_hours": 48},
        {"category": "water", "priority": "urgent", "response_hours": 2, "resolution_hours": 8}]}
    saved = await api.put("/api/v1/sla-policies", json=body, headers=town.auth("manager"))
    assert saved.status_code == 200, saved.text
    assert [(p["category"], p["priority"], p["response_hours"]) for p in saved.json()] == [
        ("water", "any", 12), ("water", "urgent", 2)]

    water, roads = await report(api, town, "water"), await report(api, town, "roads")
    ticket = (await api.get(f"/api/v1/tickets/{water}", headers=town.auth("manager"))).json()
    assert (hours(ticket, "sla_response_deadline"), hours(ticket, "sla_resolution_deadline")) \
        == (12, 48)
    other = (await api.get(f"/api/v1/tickets/{roads}", headers=town.auth("manager"))).json()
    assert (hours(other, "sla_response_deadline"), hours(other, "sla_resolution_deadline")) \
        == (24, 72)

    await api.patch(f"/api/v1/tickets/{water}", json={"priority": "urgent"},
                    headers=town.auth("manager"))
    ticket = (await api.get(f"/api/v1/tickets/{water}", headers=town.auth("manager"))).json()
    assert (hours(ticket, "sla_response_deadline"), hours(ticket, "sla_resolution_deadline")) \
        == (2, 8)
    await api.patch(f"/api/v1/tickets/{water}", json={"priority": "low"},
                    headers=town.auth("manager"))
    ticket = (await api.get(f"/api/v1/tickets/{water}", headers=town.auth("manager"))).json()
    assert hours(ticket, "sla_response_deadline") == 12  # back to the baseline


async def test_a_bad_priority_names_the_field(api: httpx.AsyncClient, town: Tenant) -> None:
    bad = await api.put("/api/v1/sla-policies", headers=town.auth("admin"), json={"policies": [
        {"category": "water", "priority": "whenever", "response_hours": 2,
         "resolution_hours": 8}]})
    assert bad.status_code == 422 and "priority" in bad.text
