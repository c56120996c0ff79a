"""A SAPS liaison on a phone (390 x 844): the sensitive board with its filters folded,
a protected report opened from the list with its text (the read recorded in its history),
and closing from the row's menu asks for a reason in the drawer instead of closing."""

from __future__ import annotations

import asyncio

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


async def test_a_liaison_reads_a_protected_report_on_a_phone(
    api: httpx.AsyncClient, live_server: LiveServer, town: City
) -> None:
    report = await file(api, town, category="gbv", sensitive=True, where=None,
                        description="He threatened me again last night")
    async with Browser(width=390, height=844) as browser:
        await browser.do("goto", url=f"{live_server.base_url}/dashboard")
        answer = await browser.do("signin", email=town.tenant.emails["saps_liaison"],
                                  password=PASSWORD)
        assert answer["title"] == "Sensitive reports (GBV)", answer
        await browser.do("waitFor", selector=f'#tickets tr[data-id="{report["id"]}"]')
        assert not (await browser.do("visible", selector="#f-status"))["visible"]  # folded
        categories = (await browser.do("texts", selector="#f-category option"))["texts"]
        assert "GBV" in categories
        width = (await browser.do("evaluate", script="return document.documentElement.scrollWidth"))
        assert width["value"] <= 390
        await browser.screenshot("dashboard-saps-390.png")

        # Closing from the row's menu opens the ticket with the reason asked for.
        await browser.do("choose", id=report["id"], status="closed")
        await browser.do("waitFor", selector=f'#drawer[data-id="{report["id"]}"]')
        assert (await browser.do("evaluate", script=(
            "return [document.getElementById('a-status-to').value,"
            " document.getElementById('a-status-reason').required]")))["value"] == ["closed", True]
        text = (await browser.do("text", selector="#d-description"))["text"]
        assert text == "He threatened me again last night"
        assert (await browser.do("text", selector="#d-coords"))["text"] == "No map location given"
        assert not (await browser.do("visible", selector="#d-map"))["visible"]
        assert not (await browser.do("visible", selector="#a-merge"))["visible"]
        history = (await browser.do("texts", selector="#d-history li"))["texts"]
        assert any(f"Report text read by Saps_Liaison {town.tenant.code}" in h for h in history)
        await browser.screenshot("dashboard-saps-drawer-390.png", full=False)
        detail = await api.get(f"/api/v1/tickets/{report['id']}", headers=town.auth("admin"))
        assert detail.json()["status"] == "open"  # nothing closed without a reason

        # Live on the sensitive board (random tracking numbers): a change keeps its row,
        # a new protected report arrives.
        await browser.do("click", selector="#d-close")
        moved = await api.patch(f"/api/v1/tickets/{report['id']}/status",
                                json={"status": "in_progress"}, headers=town.auth("admin"))
        assert moved.status_code == 200
        row = f'#tickets tr[data-id="{report["id"]}"]'
        await browser.do("waitFor", selector=f'{row}[data-status="in_progress"]')
        newer = await file(api, town, category="gbv", sensitive=True, where=None)
        await browser.do("waitFor", selector=f'#tickets tr[data-id="{newer["id"]}"]')
        await asyncio.sleep(1)  # any re-check of the list has answered by now
        rows = (await browser.do("evaluate", script=(
            "return [...document.querySelectorAll('#tickets tr')].map((tr) => tr.dataset.id)")))
        assert rows["value"] == [newer["id"], report["id"]]
