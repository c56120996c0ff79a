"""A manager works the board in a real headless Chromium: filters to the overdue tickets
(more than one page of them, the oldest months old), walks to the end with "Load more",
opens the oldest, sees its map marker and coordinates, assigns it to a team and a person
picked by name, adds a note, closes it with a reason after a confirmation, exports the
filter as CSV (the file holds exactly the tickets the filter matches) and reads the
statistics with their trend chart. Screenshots at desktop and phone sizes."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import Settings
from tests.dashboard.support import Browser
from tests.storage.conftest import run_checks
from tests.support.server import LiveServer
from tests.support.tenants import PASSWORD
from tests.tickets.conftest import IN_NORTH, City, build_city, file

OVERDUE = 60  # more than the page's 50


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    """A municipality with 60 water tickets long past their deadlines (filed 10 to 69 days
    ago) and a few fresh ones, all committed so the live server sees them."""
    city = await build_city(database_url, settings.supabase_jwt_secret)
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn, \
            conn.transaction():
        await conn.execute(
            """
            insert into public.tickets (tenant_id, reporter_id, category, description,
                                        location, address, language, source)
            select %(tenant)s, %(citizen)s, 'water', 'Leak number ' || n,
                   extensions.st_setsrid(extensions.st_makepoint(%(lon)s, %(lat)s),
                                         4326)::extensions.geography,
                   n || ' Overdue Street', 'en', 'web'
              from generate_series(1, %(n)s) n
            """,
            {"tenant": city.tenant.id, "citizen": city.tenant.users["citizen"],
             "lat": IN_NORTH[0], "lon": IN_NORTH[1], "n": OVERDUE})
        # Move their clocks back (triggers off for this owner-only adjustment).
        await conn.execute("set local session_replication_role = replica")
        await conn.execute(
            """
            update public.tickets t
               set created_at = now() - make_interval(days => 9 + s.n),
                   sla_response_deadline = now() - make_interval(days => 8 + s.n),
                   sla_resolution_deadline = now() - make_interval(days => 6 + s.n)
              from (select id, substring(description from '[0-9]+')::int as n
                      from public.tickets where tenant_id = %s) s
             where t.id = s.id
            """, (city.tenant.id,))
    return city


async def walk(api: httpx.AsyncClient, town: City, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/api/v1/tickets", params=query, headers=town.auth("manager"))).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def attach_photo(api: httpx.AsyncClient, town: City, ticket_id: str) -> None:
    """The reporter sends a photo through the upload API; the post-upload check passes it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 160), (60, 120, 190))
    ImageDraw.Draw(image).rectangle((60, 40, 180, 120), fill=(230, 230, 240))
    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    data = buf.getvalue()
    planned = await api.post("/api/v1/uploads", headers=town.auth("citizen"), json={
        "purpose": "evidence", "ticket_id": ticket_id, "filename": "leak.jpg",
        "content_type": "image/jpeg", "size": len(data)})
    assert planned.status_code == 201, planned.text
    put = await api.put(planned.json()["signed_url"], content=data,
                        headers={"content-type": "image/jpeg"})
    assert put.status_code == 200, put.text


async def shown(browser: Browser) -> list[str]:
    return (await browser.do("evaluate", script=(
        "return [...document.querySelectorAll('#tickets tr')].map((tr) => tr.dataset.id)"))
    )["value"]


async def test_a_manager_works_the_overdue_tickets_from_the_board(
    api: httpx.AsyncClient, live_server: LiveServer, town: City, owner: AsyncConnection
) -> None:
    fresh = [await file(api, town) for _ in range(3)]
    overdue = await walk(api, town, sla_status="breached_resolution", sort="newest")
    assert len(overdue) == OVERDUE
    oldest = overdue[-1]
    team_id = str(town.teams["Water South"])
    worker_id = str(town.members["Water South"][0])
    worker_name = "Water South worker 0"
    await attach_photo(api, town, oldest["id"])
    await run_checks(live_server)

    async with Browser(width=1280, height=900) as browser:
        await browser.do("goto", url=f"{live_server.base_url}/dashboard")
        answer = await browser.do("signin", email=town.tenant.emails["manager"], password=PASSWORD)
        assert answer["realtime"] == "SUBSCRIBED" and answer["error"] == "", answer
        # Counts come from the statistics API, not from the rows on the page.
        await browser.do("waitUntil", script=(
            "return document.getElementById('summary').textContent.includes('overdue now')"))
        summary = (await browser.do("text", selector="#summary"))["text"]
        assert summary == f"{OVERDUE + 3} reported in the past year · {OVERDUE + 3} active · " \
                          f"{OVERDUE} overdue now", summary

        # Filter to the overdue ones: one page of 50, then "Load more" reaches the oldest.
        await browser.do("select", selector="#f-sla", value="breached_resolution")
        await browser.do("click", selector="#filters button[type=submit]")
        await browser.do("waitUntil", script="return document.body.dataset.listLoaded === 'true'")
        first = await shown(browser)
        assert len(first) == 50 and oldest["id"] not in first
        assert not set(first) & {t["id"] for t in fresh}
        assert (await browser.do("visible", selector="#more"))["visible"]
        await browser.do("click", selector="#more")
        await browser.do("waitFor", selector=f'#tickets tr[data-id="{oldest["id"]}"]')
        assert await shown(browser) == [t["id"] for t in overdue]
        assert not (await browser.do("visible", selector="#more"))["visible"]
        slas = (await browser.do("texts", selector="#tickets td.sla"))["texts"]
        assert set(slas) == {"Resolution overdue"}
        assert "sla_status=breached_resolution" in (await browser.do("history"))["url"]
        await browser.screenshot("dashboard-manager-overdue.png")

        # Open the oldest: its report, the map marker with coordinates, late SLA clocks.
        await browser.do("click", selector=f'#tickets tr[data-id="{oldest["id"]}"] td.tracking')
        await browser.do("waitFor", selector=f'#drawer[data-id="{oldest["id"]}"]')
        assert (await browser.do("text", selector="#d-title"))["text"] == oldest["tracking_number"]
        description = (await browser.do("text", selector="#d-description"))["text"]
        assert description == f"Leak number {OVERDUE}"
        coords = (await browser.do("text", selector="#d-coords"))["text"]
        assert coords == f"Location: {IN_NORTH[0]:.5f}, {IN_NORTH[1]:.5f}"
        await browser.do("waitFor", selector="#d-map .leaflet-marker-icon")
        assert (await browser.do("visible", selector="#d-map .leaflet-tooltip"))["visible"]
        await browser.do("waitUntil", script=(
            "const img = document.querySelector('#d-photos img'); "
            "return img && img.complete && img.naturalWidth === 240"))
        src = await browser.do("evaluate", script=(
            "return document.querySelector('#d-photos img').getAttribute('src')"))
        assert "/storage/v1/object/sign/evidence/" in src["value"] and "token=" in src["value"]
        clocks = (await browser.do("texts", selector="#d-clocks .clock"))["texts"]
        assert all("overdue by" in c for c in clocks), clocks
        await browser.screenshot("dashboard-manager-ticket.png", full=False)

        # Assign to a team and a person chosen by their names.
        await browser.do("select", selector="#a-team", value={"label": "Water South"})
        await browser.do("select", selector="#a-person",
                         value={"label": f"{worker_name} (field worker)"})
        await browser.do("click", selector="#a-assign button[type=submit]")
        await browser.do("waitUntil", script=(
            "return document.getElementById('d-history').textContent.includes(arg)"),
            arg=f"Assigned to Water South — {worker_name} by Manager {town.tenant.code}")
        detail = (await api.get(f"/api/v1/tickets/{oldest['id']}",
                                headers=town.auth("manager"))).json()
        assert detail["assigned_team_id"] == team_id and detail["assigned_to"] == worker_id

        # An internal note.
        await browser.do("fill", selector="#a-note-body", value="Crew booked for Monday")
        await browser.do("click", selector="#a-note button[type=submit]")
        await browser.do("waitFor", selector="#d-history li.h-note")
        note = (await browser.do("texts", selector="#d-history li.h-note"))["texts"]
        assert "Crew booked for Monday" in note[0] and f"Manager {town.tenant.code}" in note[0]

        # Reply to the reporter with a response text (queued in their language).
        await browser.do("select", selector="#a-template", value={"label": "Team on the way"})
        preview = (await browser.do("text", selector="#a-template-text"))["text"]
        assert preview == f"About your report {oldest['tracking_number']}: a team has been sent" \
                          " and will be there soon."
        await browser.do("dialog", accept=True)
        await browser.do("click", selector="#a-reply button[type=submit]")
        await browser.do("waitUntil", script=(
            "return document.getElementById('a-reply-done').textContent !== '' || "
            "document.getElementById('d-error').textContent !== ''"))
        assert (await browser.do("text", selector="#a-reply-done"))["text"] == "Reply queued (en)."
        cur = await owner.execute(
            "select template_key, created_by from public.notification_outbox"
            " where ticket_id = %s and reply_key is not null", (oldest["id"],))
        assert await cur.fetchall() == [{"template_key": "reply_team_on_the_way",
                                         "created_by": town.tenant.users["manager"]}]

        # Close: a reason is required, and a declined confirmation changes nothing.
        await browser.do("select", selector="#a-status-to", value="closed")
        assert (await browser.do("evaluate", script=(
            "return document.getElementById('a-status-reason').required")))["value"] is True
        await browser.do("fill", selector="#a-status-reason", value="Fixed by the crew")
        await browser.do("dialog", accept=False)
        await browser.do("click", selector="#a-status button[type=submit]")
        await browser.do("waitUntil",
                         script="return !document.querySelector('#a-status button').disabled")
        assert (await api.get(f"/api/v1/tickets/{oldest['id']}",
                              headers=town.auth("manager"))).json()["status"] == "open"
        await browser.do("dialog", accept=True)
        await browser.do("click", selector="#a-status button[type=submit]")
        await browser.do("waitFor", selector='#drawer[data-status="closed"]')
        changes = (await browser.do("texts", selector="#d-history li.h-status"))["texts"]
        assert any(f"open → closed by Manager {town.tenant.code}" in c
                   and "Reason: Fixed by the crew" in c for c in changes), changes
        await browser.do("waitFor",
                         selector=f'#tickets tr[data-id="{oldest["id"]}"][data-status="closed"]')
        await browser.screenshot("dashboard-manager-drawer.png", full=False)

        # The phone: rows as cards, the drawer over the board.
        await browser.do("viewport", width=390, height=844)
        await browser.screenshot("dashboard-manager-drawer-390.png", full=False)
        await browser.do("click", selector="#d-close")
        await browser.screenshot("dashboard-manager-390.png")
        width = (await browser.do("evaluate", script="return document.documentElement.scrollWidth"))
        assert width["value"] <= 390
        await browser.do("viewport", width=1280, height=900)

        # Export the filter: the file holds exactly the tickets the filter matches.
        saved = await browser.do("download", selector="#export")
        assert saved["name"].endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(saved["text"])))
        expected = await walk(api, town, sla_status="breached_resolution", sort="newest")
        assert [r["tracking_number"] for r in rows] == [t["tracking_number"] for t in expected]
        assert {r["sla_status"] for r in rows} == {"breached_resolution"}

        # Statistics with the trend chart.
        await browser.do("click", selector="#show-stats")
        await browser.do("waitUntil", script="return document.body.dataset.statsLoaded === 'true'")
        overdue_now = (await browser.do("text", selector=".card-overdue strong"))["text"]
        assert overdue_now == str(OVERDUE - 1)
        drawn = await browser.do("evaluate", script=(
            "const c = window.Chart.getChart('trend'); "
            "return c ? c.data.datasets.map((d) => d.data.reduce((a, b) => a + b, 0)) : null"))
        # The last 30 days: three filed today and 20 of the old ones (10 to 29 days ago); the
        # ticket closed today was filed before the period, so none resolved in it.
        assert drawn["value"] == [3 + 20, 0]
        await browser.do("fill", selector="#s-from", value=_days_ago(80))
        await browser.do("click", selector="#period button[type=submit]")
        await browser.do("waitUntil", script=(
            "const c = window.Chart.getChart('trend'); "
            "return c && c.data.datasets[0].data.reduce((a, b) => a + b, 0) === arg"),
            arg=OVERDUE + 3)
        tables = (await browser.do("texts", selector="table.stat caption"))["texts"]
        assert tables == ["By status", "By category", "By team", "SLA attainment by team",
                          "SLA attainment by category"]
        await browser.screenshot("dashboard-manager-stats.png")
    assert not [line for line in browser.console if line.startswith(("error", "pageerror"))]


def _days_ago(days: int) -> str:
    from datetime import date, timedelta
    return (date.today() - timedelta(days=days)).isoformat()
