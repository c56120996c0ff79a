"""Protected (GBV) reports: references that betray nothing, ciphertext written only
by the service, text that cannot be decrypted shown as such, no location needed."""

from __future__ import annotations

import re
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from app.tickets.service import UNDECRYPTABLE
from tests.support.db import act_as
from tests.tickets.conftest import City, fetch, file

ORDINARY = re.compile(r"^T[A-Z]+-\d{4}-(\d{6})$")
PROTECTED = re.compile(r"^T[A-Z]+-\d{4}-P[2-9A-HJ-NP-Z]{6}$")


async def test_ordinary_numbers_are_gap_free_around_protected_reports(
    api: httpx.AsyncClient, city: City
) -> None:
    first = await file(api, city)
    hidden = await file(api, city, category="gbv", sensitive=True, description="Private words")
    second = await file(api, city)
    numbers = [int(ORDINARY.match(t["tracking_number"]).group(1))  # type: ignore[union-attr]
               for t in (first, second)]
    assert numbers[1] == numbers[0] + 1  # no gap betrays the protected report between them
    assert PROTECTED.match(hidden["tracking_number"]), hidden["tracking_number"]
    assert hidden["tracking_number"].startswith(first["tracking_number"][:-6])


async def test_protected_references_are_unguessable(owner: AsyncConnection[Any]) -> None:
    refs = {r["x"] for r in await fetch(
        owner, "select private.random_reference(6) as x from generate_series(1, 200)")}
    assert len(refs) == 200
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{6}", ref) for ref in refs)


async def test_a_citizen_cannot_file_made_up_ciphertext_through_the_data_api(
    db: AsyncConnection[Any], city: City
) -> None:
    await act_as(db, city.tenant.claims["citizen"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute(
            "insert into public.tickets (tenant_id, reporter_id, category, is_sensitive,"
            " encrypted_description) values (%s, %s, 'gbv', true, 'not a real token')",
            (city.tenant.id, city.tenant.users["citizen"]))


async def test_text_that_cannot_be_decrypted_is_shown_as_such(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    filed = await file(api, city, category="gbv", sensitive=True, description="Private words")
    await owner.execute("update public.tickets set encrypted_description = 'gAAAAAbroken'"
                        " where id = %s", (filed["id"],))
    for role in ("saps_liaison", "admin"):
        got = await api.get(f"/api/v1/tickets/{filed['id']}", headers=city.auth(role))
        assert got.status_code == 200, got.text
        assert got.json()["description"] == UNDECRYPTABLE


async def test_a_protected_report_needs_no_location_on_the_web(
    api: httpx.AsyncClient, city: City
) -> None:
    body = {"category": "gbv", "description": "It is not safe to say where", "is_sensitive": True}
    filed = await api.post("/api/v1/reports", json=body, headers=city.auth("citizen"))
    assert filed.status_code == 201, filed.text
    ordinary = await api.post("/api/v1/reports", json={**body, "category": "water",
                                                       "is_sensitive": False},
                              headers=city.auth("citizen"))
    assert ordinary.status_code == 422


async def test_a_filing_that_rolls_back_leaves_no_gap(
    api: httpx.AsyncClient, city: City, database_url: str
) -> None:
    first = await file(api, city)
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute(
            "insert into public.tickets (tenant_id, reporter_id, category, description)"
            " values (%s, %s, 'water', 'Filed, then rolled back')",
            (city.tenant.id, city.tenant.users["citizen"]))
        await conn.rollback()
    second = await file(api, city)
    numbers = [int(ORDINARY.match(t["tracking_number"]).group(1))  # type: ignore[union-attr]
               for t in (first, second)]
    assert numbers[1] == numbers[0] + 1
