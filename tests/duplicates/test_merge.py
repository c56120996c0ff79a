"""Merging a duplicate into its original (staff) and following a report (citizens):
the duplicate closes with a link, followers and photos move, everything is
audited, followers hear of status changes; protected reports never take part."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.duplicates.conftest import spot
from tests.support.db import SERVICE_CLAIMS, act_as
from tests.tickets.conftest import City, build_city, fetch, file


async def unreported(owner: AsyncConnection[Any], town: City, where: tuple[float, float]) -> str:
    """An ordinary report with no reporter (as an Open311 client files one)."""
    rows = await fetch(
        owner, "insert into public.tickets (tenant_id, category, description, location, source)"
        " values (%s, 'water', 'Leak reported by a partner', extensions.st_setsrid("
        "extensions.st_makepoint(%s, %s), 4326)::extensions.geography, 'api') returning id",
        town.tenant.id, where[1], where[0])
    return str(rows[0]["id"])


async def merge(api: httpx.AsyncClient, town: City, dup: str, into: str,
                role: str = "manager") -> httpx.Response:
    return await api.post(f"/api/v1/tickets/{dup}/merge", json={"into": into},
                          headers=town.auth(role))


async def test_a_merged_duplicate_closes_with_a_link_and_hands_over_followers_and_photos(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection[Any]
) -> None:
    here = spot()
    original = await unreported(owner, town, here)
    dup = await file(api, town, where=here)
    assert original in [d["id"] for d in dup["possible_duplicates"]]
    await owner.execute(
        "insert into public.media_attachments (tenant_id, ticket_id, user_id, bucket, path,"
        " purpose, scan_status) values (%s, %s, %s, 'evidence', %s, 'evidence', 'clean')",
        (town.tenant.id, dup["id"], town.tenant.users["citizen"],
         f"{town.tenant.id}/{dup['id']}/{uuid4()}.jpg"))

    merged = await merge(api, town, dup["id"], original)
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["status"] == "closed" and body["duplicate_of"] == original
    assert body["duplicate_of_tracking_number"].startswith(town.tenant.code)

    detail = await api.get(f"/api/v1/tickets/{dup['id']}", headers=town.auth("manager"))
    assert detail.json()["duplicate_of"] == original and detail.json()["status"] == "closed"
    followers = await fetch(owner, "select user_id, source from public.ticket_followers"
                            " where ticket_id = %s", original)
    assert followers == [{"user_id": town.tenant.users["citizen"], "source": "merge"}]
    photos = await fetch(owner, "select ticket_id from public.media_attachments"
                         " where ticket_id in (%s, %s)", original, dup["id"])
    assert [str(p["ticket_id"]) for p in photos] == [original]
    audited = await fetch(
        owner, "select table_name, operation, new_values from public.audit_log"
        " where record_id = %s and operation = 'UPDATE' and table_name = 'tickets'", dup["id"])
    assert any((a["new_values"] or {}).get("duplicate_of") == original for a in audited)
    assert await fetch(owner, "select 1 from public.audit_log where table_name ="
                       " 'ticket_followers' and new_values ->> 'ticket_id' = %s", original)

    # The citizen now hears of the original's progress through the outbox.
    moved = await api.patch(f"/api/v1/tickets/{original}/status",
                            json={"status": "in_progress"}, headers=town.auth("manager"))
    assert moved.status_code == 200
    outbox = await fetch(owner, "select recipient, template_key, variables"
                         " from public.notification_outbox where ticket_id = %s", original)
    assert len(outbox) == 1 and outbox[0]["template_key"] == "ticket_status_changed"
    assert outbox[0]["variables"]["status"] == "in_progress"


async def test_only_managers_and_admins_merge_and_only_what_they_see(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection[Any], database_url: str,
    settings: Settings
) -> None:
    here = spot()
    original = await unreported(owner, town, here)
    dup = await file(api, town, where=here)
    for role in ("citizen", "field_worker", "saps_liaison"):
        assert (await merge(api, town, dup["id"], original, role)).status_code == 403
    other = await build_city(database_url, settings.supabase_jwt_secret)
    assert (await merge(api, other, dup["id"], original)).status_code == 404
    assert (await merge(api, town, dup["id"], str(uuid4()))).status_code == 404
    assert (await merge(api, town, dup["id"], dup["id"])).status_code == 422
    bad = await api.post(f"/api/v1/tickets/{dup['id']}/merge", json={"into": "nope"},
                         headers=town.auth("manager"))
    assert bad.status_code == 422 and "into" in bad.text
    assert (await merge(api, town, dup["id"], original, "admin")).status_code == 200
    assert (await merge(api, town, dup["id"], original)).status_code == 409
    third = await file(api, town, where=here)
    assert (await merge(api, town, third["id"], dup["id"])).status_code == 409
    [row] = await fetch(owner, "select status from public.tickets where id = %s", third["id"])
    assert row["status"] == "open"


async def test_protected_reports_are_never_merged(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection[Any]
) -> None:
    here = spot()
    ordinary = await unreported(owner, town, here)
    protected = await file(api, town, category="gbv", sensitive=True, where=here)
    assert (await merge(api, town, protected["id"], ordinary)).status_code == 404
    assert (await merge(api, town, ordinary, protected["id"])).status_code == 404
    assert (await merge(api, town, protected["id"], ordinary, "admin")).status_code == 422
    assert (await merge(api, town, ordinary, protected["id"], "admin")).status_code == 422
    rows = await fetch(owner, "select status, duplicate_of from public.tickets"
                       " where id in (%s, %s)", ordinary, protected["id"])
    assert all(r["status"] == "open" and r["duplicate_of"] is None for r in rows)


async def test_a_citizen_follows_an_open_ordinary_report_once(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection[Any]
) -> None:
    here = spot()
    original = await unreported(owner, town, here)
    for _ in range(2):
        followed = await api.post(f"/api/v1/tickets/{original}/follow",
                                  headers=town.auth("citizen"))
        assert followed.status_code == 200 and followed.json()["following"] is True
    rows = await fetch(owner, "select user_id from public.ticket_followers where ticket_id = %s",
                       original)
    assert [r["user_id"] for r in rows] == [town.tenant.users["citizen"]]
    protected = await file(api, town, category="gbv", sensitive=True, where=here)
    for target in (protected["id"], str(uuid4())):
        refused = await api.post(f"/api/v1/tickets/{target}/follow",
                                 headers=town.auth("citizen"))
        assert refused.status_code == 404
    staff = await api.post(f"/api/v1/tickets/{original}/follow", headers=town.auth("manager"))
    assert staff.status_code == 403
    assert not await fetch(owner, "select 1 from public.ticket_followers where ticket_id = %s",
                           protected["id"])


async def test_not_even_the_service_role_makes_anyone_follow_a_protected_report(
    api: httpx.AsyncClient, town: City, database_url: str
) -> None:
    """The WhatsApp path follows as the service role: the function itself refuses."""
    protected = await file(api, town, category="gbv", sensitive=True, where=spot())
    async with await AsyncConnection.connect(database_url) as conn:
        for ticket in (protected["id"], str(uuid4())):
            async with conn.transaction():
                await act_as(conn, SERVICE_CLAIMS)
                with pytest.raises(psycopg.Error) as refused:
                    await conn.execute("select public.follow_ticket(%s, %s, 'whatsapp')",
                                       (ticket, town.tenant.users["citizen"]))
                assert refused.value.sqlstate == "SA404"
