"""SLA deadlines from sla_policies (or the default) and the computed status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.tickets.conftest import City, build_city, fetch, file

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize("at,responded,resolved,expected", [
    (T0, None, None, "on_track"),
    (T0 + 0.79 * 10 * HOUR, None, None, "on_track"),
    (T0 + 8 * HOUR, None, None, "warning"),               # exactly 80 % of the response time
    (T0 + 10 * HOUR, None, None, "warning"),              # at the deadline: not yet breached
    (T0 + 10 * HOUR + timedelta(microseconds=1), None, None, "breached_response"),
    (T0 + 20 * HOUR, T0 + HOUR, None, "on_track"),        # responded; resolution phase 20 %
    (T0 + 80 * HOUR, T0 + HOUR, None, "warning"),         # 80 % of the resolution time
    (T0 + 100 * HOUR, T0 + HOUR, None, "warning"),        # at the resolution deadline
    (T0 + 100 * HOUR + timedelta(microseconds=1), T0 + HOUR, None, "breached_resolution"),
    (T0 + 30 * HOUR, T0 + 11 * HOUR, None, "breached_response"),  # answered late
    (T0 + 500 * HOUR, T0 + HOUR, T0 + 50 * HOUR, "on_track"),    # resolved in time
    (T0 + 500 * HOUR, T0 + HOUR, T0 + 101 * HOUR, "breached_resolution"),
])
async def test_sla_status_at_the_boundaries(
    db: AsyncConnection[Any], at: datetime, responded: datetime | None,
    resolved: datetime | None, expected: str
) -> None:
    [row] = await fetch(
        db, "select private.sla_status_at(%s, %s, %s, %s, %s, 0.80, %s) as s",
        T0, responded, resolved, T0 + 10 * HOUR, T0 + 100 * HOUR, at)
    assert row["s"] == expected


async def age(owner: AsyncConnection[Any], ticket_id: str, *, created_ago: timedelta,
              respond_in: timedelta, resolve_in: timedelta) -> None:
    """Move a ticket's clock (triggers off for this owner-only adjustment)."""
    async with owner.transaction():
        await owner.execute("set local session_replication_role = replica")
        await owner.execute(
            "update public.tickets set created_at = now() - %s,"
            " sla_response_deadline = now() + %s, sla_resolution_deadline = now() + %s"
            " where id = %s", (created_ago, respond_in, resolve_in, ticket_id))


@pytest.mark.parametrize("created_ago,respond_in,resolve_in,expected", [
    (timedelta(minutes=10), timedelta(hours=10), timedelta(hours=50), "on_track"),
    (timedelta(minutes=50), timedelta(minutes=10), timedelta(hours=50), "warning"),
    (timedelta(hours=3), -timedelta(minutes=10), timedelta(hours=50), "breached_response"),
    (timedelta(hours=90), -timedelta(hours=80), -timedelta(minutes=5), "breached_resolution"),
])
async def test_the_api_shows_and_filters_by_sla_status(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any],
    created_ago: timedelta, respond_in: timedelta, resolve_in: timedelta, expected: str
) -> None:
    ticket = await file(api, city, category="electricity")
    await age(owner, ticket["id"], created_ago=created_ago, respond_in=respond_in,
              resolve_in=resolve_in)
    detail = await api.get(f"/api/v1/tickets/{ticket['id']}", headers=city.auth("manager"))
    assert detail.json()["sla_status"] == expected
    listed = await api.get("/api/v1/tickets", params={"sla_status": expected, "limit": 200},
                           headers=city.auth("manager"))
    items = listed.json()["items"]
    assert ticket["id"] in {i["id"] for i in items}
    assert {i["sla_status"] for i in items} == {expected}


async def test_deadlines_come_from_the_policy_or_the_default(
    api: httpx.AsyncClient, database_url: str, settings: Settings, owner: AsyncConnection[Any]
) -> None:
    town = await build_city(database_url, settings.supabase_jwt_secret)
    await owner.execute(
        "insert into public.sla_policies (tenant_id, category, response_hours, resolution_hours)"
        " values (%s, 'water', 4, 48)", (town.tenant.id,))
    water = await file(api, town)
    roads = await file(api, town, category="roads")
    gbv = await file(api, town, category="gbv", sensitive=True)

    def hours(receipt: dict[str, Any], key: str) -> float:
        created = datetime.fromisoformat(receipt["created_at"])
        return (datetime.fromisoformat(receipt[key]) - created) / HOUR

    assert (hours(water, "sla_response_deadline"), hours(water, "sla_resolution_deadline")) \
        == pytest.approx((4, 48), abs=0.01)
    assert (hours(roads, "sla_response_deadline"), hours(roads, "sla_resolution_deadline")) \
        == pytest.approx((24, 72), abs=0.01)
    assert (hours(gbv, "sla_response_deadline"), hours(gbv, "sla_resolution_deadline")) \
        == pytest.approx((1, 24), abs=0.01)

    # A changed policy applies when the ticket is reassigned.
    await owner.execute("update public.sla_policies set response_hours = 2, resolution_hours = 6"
                        " where tenant_id = %s and category = 'water'", (town.tenant.id,))
    moved = await api.post(f"/api/v1/tickets/{water['id']}/assign",
                           json={"team_id": str(town.teams["Water Standby"])},
                           headers=town.auth("manager"))
    assert moved.status_code == 200, moved.text
    assert hours({**moved.json(), "created_at": water["created_at"]},
                 "sla_resolution_deadline") == pytest.approx(6, abs=0.01)
