"""Live updates respect the board's filter: a new ticket that matches appears, one that
does not never shows, and a ticket that stops matching leaves; the counts follow."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from tests.dashboard.support import Browser
from tests.support.server import LiveServer
from tests.support.tenants import PASSWORD
from tests.tickets.conftest import City, build_city, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


ROWS = "return [...document.querySelectorAll('#tickets tr')].map((tr) => tr.dataset.id)"


async def test_live_events_keep_the_filtered_board_true(
    api: httpx.AsyncClient, live_server: LiveServer, town: City
) -> None:
    before = await file(api, town, category="roads")
    async with Browser() as browser:
        await browser.do("goto", url=f"{live_server.base_url}/dashboard?status=open&category=roads")
        answer = await browser.do("signin", email=town.tenant.emails["manager"], password=PASSWORD)
        assert answer["realtime"] == "SUBSCRIBED", answer
        await browser.do("waitUntil", script="return document.body.dataset.listLoaded === 'true'")
        assert (await browser.do("evaluate", script=ROWS))["value"] == [before["id"]]
        assert (await browser.do("evaluate", script=(
            "return [document.getElementById('f-status').value,"
            " document.getElementById('f-category').value]")))["value"] == ["open", "roads"]

        matching = await file(api, town, category="roads")
        other = await file(api, town, category="water")
        await browser.do("waitFor", selector=f'#tickets tr[data-id="{matching["id"]}"]')
        await browser.do("waitUntil", script=(
            "return document.getElementById('summary').textContent.startsWith('3 reported')"))
        rows = (await browser.do("evaluate", script=ROWS))["value"]
        assert rows == [matching["id"], before["id"]] and other["id"] not in rows

        moved = await api.patch(f"/api/v1/tickets/{before['id']}/status",
                                json={"status": "in_progress"}, headers=town.auth("manager"))
        assert moved.status_code == 200
        await browser.do("waitFor", selector=f'#tickets tr[data-id="{before["id"]}"]',
                         state="detached")
        assert (await browser.do("evaluate", script=ROWS))["value"] == [matching["id"]]
        assert other["id"] not in (await browser.do("evaluate", script=ROWS))["value"]
    assert not [line for line in browser.console if line.startswith(("error", "pageerror"))]


async def test_a_manager_merges_a_duplicate_into_its_original_from_the_drawer(
    api: httpx.AsyncClient, live_server: LiveServer, town: City
) -> None:
    first = await file(api, town, category="waste")
    duplicate = await file(api, town, category="waste")
    async with Browser() as browser:
        await browser.do("goto", url=f"{live_server.base_url}/dashboard?category=waste")
        await browser.do("signin", email=town.tenant.emails["manager"], password=PASSWORD)
        await browser.do("click", selector=f'#tickets tr[data-id="{duplicate["id"]}"] td.tracking')
        await browser.do("waitFor", selector=f'#drawer[data-id="{duplicate["id"]}"]')
        await browser.do("fill", selector="#a-merge-into", value=first["tracking_number"].lower())
        await browser.do("dialog", accept=True)
        await browser.do("click", selector="#a-merge button[type=submit]")
        await browser.do("waitFor", selector='#drawer[data-status="closed"]')
        assert not (await browser.do("visible", selector="#a-merge"))["visible"]
        history = (await browser.do("texts", selector="#d-history li.h-status"))["texts"]
        assert any(f"Reason: duplicate of {first['tracking_number']}" in h for h in history)
        await browser.do("click", selector="#d-facts button.link")
        await browser.do("waitFor", selector=f'#drawer[data-id="{first["id"]}"]')

        # The original's priority, set from the drawer; its row follows.
        await browser.do("select", selector="#a-priority-to", value="urgent")
        await browser.do("click", selector="#a-priority button[type=submit]")
        await browser.do("waitUntil",
                         script="return document.body.dataset.lastAction === 'a-priority'")
        cells = (await browser.do("texts", selector=f'#tickets tr[data-id="{first["id"]}"] td'))
        assert cells["texts"][3] == "urgent"
    original = (await api.get(f"/api/v1/tickets/{first['id']}", headers=town.auth("manager")))
    assert original.json()["priority"] == "urgent"
    merged = (await api.get(f"/api/v1/tickets/{duplicate['id']}",
                            headers=town.auth("manager"))).json()
    assert merged["duplicate_of"] == first["id"] and merged["status"] == "closed"
