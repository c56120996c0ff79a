"""Statistics as the caller sees tickets: a manager's figures never count a protected report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.tickets.conftest import City, build_city, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


async def test_counts_medians_attainment_and_trend(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    quick, late, still_open = [await file(api, town) for _ in range(3)]
    for ticket, hours in ((quick, 2), (late, 500)):
        await owner.execute("update public.tickets set status = 'in_progress' where id = %s",
                            (ticket["id"],))
        await owner.execute("update public.tickets set status = 'resolved' where id = %s",
                            (ticket["id"],))
        await owner.execute(
            "update public.tickets set first_responded_at = created_at +"
            " interval '1 hour', resolved_at = created_at + make_interval(hours => %s)"
            " where id = %s", (hours, ticket["id"]))
    await owner.execute("update public.tickets set sla_resolution_deadline = now() -"
                        " interval '1 hour' where id = %s", (still_open["id"],))
    await file(api, town, category="gbv", sensitive=True, where=None)
    stats = (await api.get("/api/v1/stats", headers=town.auth("manager"))).json()
    assert stats["total"] == 3 and stats["by_category"] == {"water": 3}
    assert stats["by_status"] == {"open": 1, "resolved": 2}
    assert stats["overdue_now"] == 1
    assert stats["median_first_response_hours"] == 1.0
    assert stats["median_resolution_hours"] == 251.0
    (water,) = stats["sla_attainment_by_category"]
    assert water["resolved"] == 2 and water["within_sla"] == 1 and water["attainment"] == 0.5
    assert sum(day["created"] for day in stats["trend"]) == 3
    liaison = (await api.get("/api/v1/stats", headers=town.auth("saps_liaison"))).json()
    assert liaison["total"] == 1 and liaison["by_category"] == {"gbv": 1}


async def test_a_bad_period_is_422_and_citizens_get_no_statistics(
    api: httpx.AsyncClient, town: City
) -> None:
    now = datetime.now(UTC)
    params = {"from": now.isoformat(), "to": (now - timedelta(days=1)).isoformat()}
    assert (await api.get("/api/v1/stats", params=params,
                          headers=town.auth("manager"))).status_code == 422
    too_long = {"from": (now - timedelta(days=800)).isoformat(), "to": now.isoformat()}
    assert (await api.get("/api/v1/stats", params=too_long,
                          headers=town.auth("manager"))).status_code == 422
    assert (await api.get("/api/v1/stats", headers=town.auth("citizen"))).status_code == 403
