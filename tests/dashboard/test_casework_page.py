"""/dashboard/casework in headless Chromium: a SAPS liaison is alerted (badge, sound and a
desktop notification attempted) when a protected report arrives and when one nears its
1-hour deadline, reads the narrative, records a CAS number; nobody else gets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from psycopg import AsyncConnection

from tests.dashboard.support import Browser
from tests.dashboard.work import file_report, sign_in
from tests.support.server import LiveServer
from tests.support.tenants import Tenant

ALERTS = "return window.casework.alerts"


async def test_a_liaison_is_alerted_reads_the_narrative_and_records_a_cas_number(
    api: httpx.AsyncClient, live_server: LiveServer, tenant: Tenant,
    owner: AsyncConnection[Any],
) -> None:
    waiting = await file_report(api, tenant, sensitive=True,
                                description="He said he would come back")
    await owner.execute("update public.tickets set sla_response_deadline = %s where id = %s",
                        (datetime.now(UTC) + timedelta(minutes=9), waiting["id"]))
    async with Browser() as browser:
        await browser.do("permit", permissions=["notifications"], origin=live_server.base_url)
        await sign_in(browser, live_server, "casework", tenant.emails["saps_liaison"])
        # Already waiting and nearly due: alerted on arrival at the page.
        await browser.do("waitFor", selector="#alert:not([hidden])")
        badge = (await browser.do("text", selector="#alert"))["text"]
        assert waiting["tracking_number"] in badge and "respond within" in badge

        # A new protected report arrives live: badge, sound and notification attempted.
        before = (await browser.do("evaluate", script=ALERTS))["value"]
        arrived = await file_report(api, tenant, sensitive=True,
                                    description="My neighbour hurts his wife every night")
        await browser.do("waitUntil", arg=before["events"],
                         script="return window.casework.alerts.events > arg")
        await browser.do("waitFor", selector=f'li[data-id="{arrived["id"]}"][data-fresh="true"]')
        badge = (await browser.do("text", selector="#alert"))["text"]
        assert badge == f"New protected report {arrived['tracking_number']}"
        assert "neighbour" not in badge  # never the report's text in an alert
        alerts = (await browser.do("evaluate", script=ALERTS))["value"]
        assert alerts["sounds"] > before["sounds"], alerts
        assert alerts["notifications"] > before["notifications"] or alerts["last"], alerts
        await browser.screenshot("casework-alert.png")

        # Open it: the narrative (decrypted for the liaison), contact "do not contact" by default.
        await browser.do("click", selector=f'li[data-id="{arrived["id"]}"]')
        await browser.do("waitUntil", script="return document.getElementById('narrative')"
                         ".textContent.includes('neighbour')")
        assert (await browser.do("evaluate", script="return document.getElementById('contact')"
                                 ".value"))["value"] == "do_not_contact"
        assert (await browser.do("text", selector="#channel"))["text"] == "web"

        # A malformed CAS number is refused with the field named; a good one is kept.
        await browser.do("fill", selector="#cas", value="case twelve")
        await browser.do("click", selector="#save")
        await browser.do("waitUntil", script="return document.getElementById('error')"
                         ".textContent !== ''")
        assert "cas_number" in (await browser.do("text", selector="#error"))["text"]
        await browser.do("fill", selector="#cas", value="CAS 12/11/2026")
        await browser.do("select", selector="#referral", value="referred")
        await browser.do("click", selector="#save")
        await browser.do("waitUntil", script="return document.getElementById('notice')"
                         ".textContent === 'Casework saved.'")
        await browser.do("click", selector="#acknowledge")
        await browser.do("waitUntil", script="return document.getElementById('acknowledged')"
                         ".textContent.startsWith('Acknowledged')")
        await browser.do("fill", selector="#note", value="Called the station commander")
        await browser.do("click", selector="#add-note")
        await browser.do("waitUntil", script="return document.getElementById('notes')"
                         ".textContent.includes('station commander')")
        # The other report is still nearly due and unacknowledged: the badge says so.
        badge = (await browser.do("text", selector="#alert"))["text"]
        assert badge == "1 near the 1-hour deadline"
        await browser.screenshot("casework-saps.png")

    casework = (await api.get(f"/api/v1/tickets/{arrived['id']}/casework",
                              headers=tenant.auth("saps_liaison"))).json()
    assert casework["cas_number"] == "CAS 12/11/2026"
    assert casework["referral_status"] == "referred"
    assert casework["contact_preference"] == "do_not_contact"
    assert casework["acknowledged_by"] == str(tenant.users["saps_liaison"])
    cur = await owner.execute(
        "select count(*) as n from private.sensitive_reads where ticket_id = %s and actor_id = %s",
        (arrived["id"], tenant.users["saps_liaison"]))
    assert (await cur.fetchone())["n"] >= 1  # the narrative's read was recorded
    assert not [line for line in browser.console if line.startswith("pageerror")]


async def test_managers_and_field_workers_are_turned_away(
    live_server: LiveServer, tenant: Tenant
) -> None:
    async with Browser() as browser:
        for role in ("manager", "field_worker"):
            await browser.do("goto", url=f"{live_server.base_url}/dashboard/casework")
            await browser.do("fill", selector="#email", value=tenant.emails[role])
            await browser.do("fill", selector="#password",
                             value="correct horse battery staple")
            await browser.do("click", selector="#signin button[type=submit]")
            await browser.do("waitUntil", script="return document.getElementById('error')"
                             ".textContent !== ''")
            error = (await browser.do("text", selector="#error"))["text"]
            assert error == "Sign-in failed: this page is for SAPS liaisons and admins", error
            assert (await browser.do("visible", selector="#work"))["visible"] is False
