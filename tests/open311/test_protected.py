"""Protected (GBV) reports never appear through Open311: not a service, not a
request, not in a page's size, not behind an id or a token, not as an update;
the anonymous role reaches nothing but the Open311 readers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from tests.open311.conftest import Open311
from tests.open311.test_conformance import request_form
from tests.support.db import ANON_CLAIMS, act_as
from tests.tickets.conftest import City, fetch, file


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_protected_reports_are_invisible_to_open311(
    o311: Open311, key: str, town: City, api: httpx.AsyncClient,
    owner: AsyncConnection[Any], fmt: str
) -> None:
    ordinary: list[str] = []
    protected: list[str] = []
    for i in range(3):
        status, body = await o311.post("requests", fmt, **request_form(
            key, description=f"Hydrant {i} leaking ({fmt})"))
        ordinary.append(body[0]["service_request_id"])
        protected.append((await file(api, town, category="gbv", sensitive=True))["id"])
        protected.append((await file(api, town, category="water", sensitive=True))["id"])

    status, services = await o311.get("services", fmt)
    assert "gbv" not in {s["service_code"] for s in services}

    everything = ",".join(ordinary + protected)
    status, listed = await o311.get("requests", fmt, service_request_id=everything)
    assert sorted(r["service_request_id"] for r in listed) == sorted(ordinary)
    status, newest = await o311.get("requests", fmt, page_size=2)
    assert len(newest) == 2 and {r["service_request_id"] for r in newest} <= set(ordinary)
    status, page = await o311.get("requests", fmt, service_request_id=everything,
                                  page_size=2, page=2)
    assert len(page) == 1  # pages count ordinary requests only

    # A protected id answers exactly as an id that never existed.
    never = str(uuid4())
    unknown_status, unknown = await o311.get(f"requests/{never}", fmt)
    for ticket_id in protected:
        status, body = await o311.get(f"requests/{ticket_id}", fmt)
        assert status == unknown_status == 404
        assert str(body).replace(ticket_id, "?") == str(unknown).replace(never, "?")

    # Status changes of a protected report are no public update.
    moved = await api.patch(f"/api/v1/tickets/{protected[0]}/status",
                            json={"status": "in_progress"}, headers=town.auth("saps_liaison"))
    assert moved.status_code == 200
    assert not await fetch(owner, "select 1 from public.ticket_updates where ticket_id = %s",
                           protected[0])
    status, updates = await o311.get("servicerequestupdates", fmt)
    assert not {u["service_request_id"] for u in updates} & set(protected)
    status, body = await o311.post("servicerequestupdates", fmt, api_key=key,
                                   service_request_id=protected[0], status="CLOSED",
                                   description="close it")
    assert status == 404


async def test_the_anonymous_role_reads_nothing_but_the_open311_readers(
    database_url: str, town: City
) -> None:
    async with await AsyncConnection.connect(database_url) as conn:
        for statement in ("select 1 from public.tickets limit 1",
                          "select 1 from public.open311_clients limit 1",
                          "select 1 from public.open311_submissions limit 1",
                          "select 1 from public.ticket_updates limit 1",
                          "select * from private.open311_client('X', 'y')",
                          "select * from private.possible_duplicates("
                          f"'{town.tenant.id}', 'water', -33.9, 18.4)"):
            async with conn.transaction():
                await act_as(conn, ANON_CLAIMS)
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    await conn.execute(statement)
        async with conn.transaction():
            await act_as(conn, ANON_CLAIMS)
            cur = await conn.execute("select count(*) from open311.requests(%s, null, null,"
                                     " null, null, null, 1000, 0)", (town.tenant.id,))
            row = await cur.fetchone()
            assert row is not None
            cur = await conn.execute(
                "select count(*) from open311.requests(%s, null, 'gbv', null, null, null,"
                " 1000, 0)", (town.tenant.id,))
            row = await cur.fetchone()
            assert row is not None and row[0] == 0
