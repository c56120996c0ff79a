"""Duplicate detection on filing through the web API: same category, open,
ordinary, nearby (50 m or the category's rule) and recent; never protected."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import AsyncConnection

from app.config import Settings
from tests.duplicates.conftest import metres_north, spot
from tests.support.db import SERVICE_CLAIMS, act_as
from tests.tickets.conftest import City, build_city, fetch, file


def ids(receipt: dict[str, Any]) -> list[str]:
    return [d["id"] for d in receipt["possible_duplicates"]]


async def test_a_report_within_50_m_is_a_possible_duplicate(
    api: httpx.AsyncClient, town: City
) -> None:
    here = spot()
    first = await file(api, town, where=here)
    assert first["possible_duplicates"] == []
    second = await file(api, town, where=metres_north(here, 30))
    [found] = second["possible_duplicates"]
    assert found["id"] == first["id"] and found["tracking_number"] == first["tracking_number"]
    assert found["status"] == "open" and found["category"] == "water"
    assert 25 < found["distance_m"] < 35
    assert set(found) == {"id", "tracking_number", "status", "category", "created_at",
                          "distance_m"}


async def test_farther_other_category_or_without_a_point_is_not(
    api: httpx.AsyncClient, town: City
) -> None:
    here = spot()
    await file(api, town, where=here)
    assert ids(await file(api, town, where=metres_north(here, 80))) == []
    assert ids(await file(api, town, category="roads", where=here)) == []
    assert ids(await file(api, town, where=None)) == []


async def test_the_radius_and_age_are_set_per_category(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection[Any]
) -> None:
    here = spot()
    first = await file(api, town, category="sanitation", where=here)
    assert ids(await file(api, town, category="sanitation",
                          where=metres_north(here, 150))) == []
    await owner.execute(
        "insert into public.duplicate_rules (tenant_id, category, radius_m, max_age_days)"
        " values (%s, 'sanitation', 200, 30)", (town.tenant.id,))
    assert first["id"] in ids(await file(api, town, category="sanitation",
                                         where=metres_north(here, 150)))
    assert first["id"] not in await found_later(owner, town, here)
    await owner.execute("update public.duplicate_rules set max_age_days = 60"
                        " where tenant_id = %s", (town.tenant.id,))
    assert first["id"] in await found_later(owner, town, here)


async def found_later(owner: AsyncConnection[Any], town: City,
                      here: tuple[float, float]) -> list[str]:
    """What the search finds 31 days from now (as the service role)."""
    async with owner.transaction():
        await act_as(owner, SERVICE_CLAIMS)
        rows = await fetch(
            owner, "select id from private.possible_duplicates(%s, 'sanitation', %s, %s, null,"
            " 20, now() + interval '31 days')", town.tenant.id, *here)
        await act_as(owner, None)
    return [str(r["id"]) for r in rows]


async def test_closed_or_merged_reports_are_not_offered(
    api: httpx.AsyncClient, town: City
) -> None:
    here = spot()
    first = await file(api, town, where=here)
    closed = await api.patch(f"/api/v1/tickets/{first['id']}/status",
                             json={"status": "closed"}, headers=town.auth("manager"))
    assert closed.status_code == 200
    assert ids(await file(api, town, where=here)) == []


async def test_protected_reports_are_never_suggested_nor_get_suggestions(
    api: httpx.AsyncClient, town: City
) -> None:
    here = spot()
    protected = await file(api, town, category="gbv", sensitive=True, where=here)
    ordinary = await file(api, town, where=here)
    assert protected["id"] not in ids(ordinary)
    again = await file(api, town, category="gbv", sensitive=True, where=here)
    assert again["possible_duplicates"] == []
    flagged = await file(api, town, category="water", sensitive=True, where=here)
    assert flagged["possible_duplicates"] == []
    assert flagged["id"] not in ids(await file(api, town, where=here))


async def test_another_municipalitys_reports_are_never_suggested(
    api: httpx.AsyncClient, town: City, database_url: str, settings: Settings
) -> None:
    here = spot()
    ours = await file(api, town, where=here)
    other = await build_city(database_url, settings.supabase_jwt_secret)
    theirs = await file(api, other, where=here)
    assert ours["id"] not in ids(theirs)


async def test_a_citizen_asking_the_database_directly_sees_only_their_municipality(
    town: City, owner: AsyncConnection[Any], database_url: str, settings: Settings
) -> None:
    """The SQL function checks the caller's municipality itself (PostgREST could call it)."""
    other = await build_city(database_url, settings.supabase_jwt_secret)
    async with await AsyncConnection.connect(database_url) as conn, conn.transaction():
        await act_as(conn, other.tenant.claims["citizen"])
        cur = await conn.execute(
            "select count(*) from private.possible_duplicates(%s, 'water', %s, %s)",
            (town.tenant.id, *spot()))
        row = await cur.fetchone()
        assert row is not None and row[0] == 0
    rows = await fetch(owner, "select 1 from pg_indexes where indexname ="
                       " 'tickets_open_ordinary_location_idx'")
    assert rows
