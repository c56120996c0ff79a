"""/dashboard/field on a 390x844 phone in headless Chromium: a field worker sees their
team's queue, the address, a Leaflet map whose marker and coordinates show without any
tile server, takes a ticket on, and resolves it with a note and a photo uploaded through
a signed URL (supabase-js) — the photo is attached to the ticket."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from tests.dashboard.support import Browser
from tests.dashboard.work import file_report, sign_in
from tests.support.server import LiveServer
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


def png(path: Path, width: int = 8, height: int = 8) -> Path:
    """A small, real PNG (a green square)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x20\xa0\x40" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(
        ">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b""))
    return path


async def water_crew(api: httpx.AsyncClient, town: Tenant) -> str:
    team = await api.post("/api/v1/teams", json={"name": "Water crew", "categories": ["water"],
                                                  "is_default": True},
                          headers=town.auth("manager"))
    assert team.status_code == 201, team.text
    members = await api.put(f"/api/v1/teams/{team.json()['id']}/members",
                            json={"user_ids": [str(town.users["field_worker"])]},
                            headers=town.auth("manager"))
    assert members.status_code == 200, members.text
    return str(team.json()["id"])


async def test_a_field_worker_on_a_phone_takes_and_resolves_a_ticket_with_a_photo(
    api: httpx.AsyncClient, live_server: LiveServer, town: Tenant,
    owner: AsyncConnection[Any], tmp_path: Path,
) -> None:
    team_id = await water_crew(api, town)
    ticket = await file_report(api, town, description="Water pouring from the meter box",
                               where={"latitude": -33.92487, "longitude": 18.42406,
                                      "address": "14 Long Street"})
    assert ticket["assigned_team_id"] == team_id
    # Routed to the crew, not yet to a person (nobody has taken it on).
    await owner.execute("update public.tickets set assigned_to = null where id = %s",
                        (ticket["id"],))
    async with Browser(width=390, height=844) as browser:
        await sign_in(browser, live_server, "field", town.emails["field_worker"])
        item = f'#tickets li[data-id="{ticket["id"]}"]'
        await browser.do("waitFor", selector=item)
        assert (await browser.do("evaluate", script="return document.documentElement"
                                 ".scrollWidth"))["value"] <= 390  # no sideways scrolling
        await browser.screenshot("field-queue-390.png")

        await browser.do("click", selector=item)
        await browser.do("waitFor", selector="#ticket:not([hidden])")
        assert (await browser.do("text", selector="#address"))["text"] == "14 Long Street"
        assert (await browser.do("text", selector="#coords"))["text"] == "-33.92487, 18.42406"
        await browser.do("waitFor", selector="#map .leaflet-marker-icon")
        assert (await browser.do("text", selector="#t-assignee"))["text"] == "Not taken yet"
        assert (await browser.do("visible", selector="#resolve"))["visible"] is False

        await browser.do("click", selector="#take")
        await browser.do("waitFor", selector='#ticket[data-status="in_progress"] #resolve')
        assert (await browser.do("text", selector="#t-assignee"))["text"] == "Assigned to you"

        # Resolving needs a note: the page says so and nothing changes.
        await browser.do("evaluate", script="document.getElementById('resolve')"
                         ".requestSubmit()")
        await browser.do("waitUntil", script="return document.getElementById('error')"
                         ".textContent !== ''")
        await browser.do("fill", selector="#resolve-note", value="Replaced the meter coupling")
        await browser.do("upload", selector="#photo", files=[str(png(tmp_path / "done.png"))])
        await browser.screenshot("field-ticket-390.png")
        await browser.do("click", selector="#resolve button[type=submit]")
        await browser.do("waitFor", selector='#ticket[data-status="resolved"]')
        notice = (await browser.do("text", selector="#notice"))["text"]
        assert notice == f"Resolved {ticket['tracking_number']} with a photo."
        await browser.screenshot("field-resolved-390.png")
        assert (await browser.do("evaluate", script="return document.documentElement"
                                 ".scrollWidth"))["value"] <= 390

    detail = (await api.get(f"/api/v1/tickets/{ticket['id']}",
                            headers=town.auth("manager"))).json()
    assert detail["status"] == "resolved"
    assert detail["assigned_to"] == str(town.users["field_worker"])
    assert [n["body"] for n in detail["notes"]] == ["Replaced the meter coupling"]
    (photo,) = detail["media"]
    assert photo["content_type"] == "image/png"
    cur = await owner.execute("select user_id, bucket from public.media_attachments"
                              " where ticket_id = %s", (ticket["id"],))
    assert await cur.fetchall() == [{"user_id": town.users["field_worker"],
                                     "bucket": "evidence"}]
    assert not [line for line in browser.console if line.startswith("pageerror")]

