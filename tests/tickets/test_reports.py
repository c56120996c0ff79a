"""Filing reports through POST /api/v1/reports: routed at once, GBV text sealed."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import AsyncConnection

from app.config import Settings
from app.crypto import FieldCipher
from tests.tickets.conftest import IN_NORTH, IN_SOUTH, NOWHERE, City, build_city, fetch, file


async def test_a_citizen_report_is_routed_by_area_and_category(
    api: httpx.AsyncClient, city: City
) -> None:
    north = await file(api, city, where=IN_NORTH)
    south = await file(api, city, where=IN_SOUTH)
    assert north["status"] == "open" and north["tracking_number"].startswith(city.tenant.code)
    assert north["assigned_team_id"] == str(city.teams["Water North"])
    assert south["assigned_team_id"] == str(city.teams["Water South"])


async def test_outside_every_area_goes_to_the_categorys_default_team(
    api: httpx.AsyncClient, city: City
) -> None:
    water = await file(api, city, where=NOWHERE)
    roads = await file(api, city, category="roads", where=IN_NORTH)
    by_address = await file(api, city, category="water", where=None)
    assert water["assigned_team_id"] == str(city.teams["Water Standby"])
    assert roads["assigned_team_id"] == str(city.teams["Roads"])
    assert by_address["assigned_team_id"] == str(city.teams["Water Standby"])


async def test_a_category_no_team_handles_stays_unassigned(
    api: httpx.AsyncClient, city: City
) -> None:
    receipt = await file(api, city, category="waste")
    assert receipt["assigned_team_id"] is None
    assert receipt["sla_response_deadline"] is not None


async def test_gbv_text_is_stored_only_encrypted_and_routed_to_saps(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any], settings: Settings
) -> None:
    receipt = await file(api, city, category="gbv", sensitive=True,
                         description="He threatened me again last night")
    assert receipt["is_sensitive"] is True and receipt["assigned_team_id"] is None
    [row] = await fetch(owner, "select * from public.tickets where id = %s", receipt["id"])
    assert row["description"] is None
    assert "threatened" not in row["encrypted_description"]
    cipher = FieldCipher.from_settings(settings)
    assert cipher.decrypt(row["encrypted_description"]) == "He threatened me again last night"
    assert row["assigned_team_id"] == city.teams["SAPS Liaison Desk"]
    assert row["assigned_to"] == city.tenant.users["saps_liaison"]


async def test_a_sensitive_report_without_a_saps_team_stays_unassigned_without_error(
    api: httpx.AsyncClient, database_url: str, settings: Settings, owner: AsyncConnection[Any]
) -> None:
    bare = await build_city(database_url, settings.supabase_jwt_secret, with_saps=False)
    receipt = await file(api, bare, category="water", sensitive=True)
    [row] = await fetch(owner, "select * from public.tickets where id = %s", receipt["id"])
    assert row["assigned_team_id"] is None and row["is_sensitive"]
    seen = await api.get(f"/api/v1/tickets/{receipt['id']}", headers=bare.auth("saps_liaison"))
    assert seen.status_code == 200
    routed = await api.post(f"/api/v1/tickets/{receipt['id']}/assign", json={},
                            headers=bare.auth("admin"))
    assert routed.status_code == 422
    assert "no SAPS team" in routed.json()["detail"]


async def test_malformed_reports_are_422_and_write_nothing(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    [before] = await fetch(owner, "select count(*) as n from public.tickets")
    bad = [
        {"category": "volcano", "description": "Lava", "address": "Main Road"},
        {"category": "water", "description": "Leak"},
        {"category": "water", "description": "Leak", "latitude": 95, "longitude": 18},
        {"category": "water", "description": "Leak", "latitude": -33.9},
        {"category": "water", "description": "", "address": "Main Road"},
        {"category": "water", "description": "Leak", "address": "Main Road", "status": "closed"},
    ]
    for body in bad:
        response = await api.post("/api/v1/reports", json=body, headers=city.auth("citizen"))
        assert response.status_code == 422, body
    [after] = await fetch(owner, "select count(*) as n from public.tickets")
    assert after["n"] == before["n"]


async def test_only_citizens_file_reports_and_only_with_a_token(
    api: httpx.AsyncClient, city: City
) -> None:
    body = {"category": "water", "description": "Leak", "address": "Main Road"}
    assert (await api.post("/api/v1/reports", json=body)).status_code == 401
    staff = await api.post("/api/v1/reports", json=body, headers=city.auth("manager"))
    assert staff.status_code == 403
