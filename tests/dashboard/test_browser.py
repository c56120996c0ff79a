"""The dashboard in a real headless Chromium: sign in with a password, see the
municipality's tickets, watch a status change made elsewhere arrive live,
change a status from the page; SAPS liaisons get the sensitive board and
managers never see a sensitive row."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.authserver.settings import Mailbox
from app.config import Settings
from app.identity import service as identity
from tests.dashboard.support import Browser
from tests.support.server import LiveServer
from tests.support.tenants import PASSWORD, Tenant


async def file_report(api: httpx.AsyncClient, tenant: Tenant, *,
                      sensitive: bool = False) -> dict[str, Any]:
    body = {"category": "gbv" if sensitive else "water", "is_sensitive": sensitive,
            "description": "Someone needs help" if sensitive else "Burst pipe on the corner",
            "address": "12 Main Road"}
    response = await api.post("/api/v1/reports", json=body, headers=tenant.auth("citizen"))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def set_status(api: httpx.AsyncClient, tenant: Tenant, role: str, ticket_id: str,
                     status: str) -> float:
    """Change a status through the API; the epoch ms at which it was committed."""
    response = await api.patch(f"/api/v1/tickets/{ticket_id}/status", json={"status": status},
                               headers=tenant.auth(role))
    assert response.status_code == 200, response.text
    return time.time() * 1000


async def signed_in(browser: Browser, live_server: LiveServer, email: str) -> dict[str, Any]:
    await browser.do("open", url=f"{live_server.base_url}/dashboard")
    answer = await browser.do("signin", email=email, password=PASSWORD)
    assert answer["realtime"] == "SUBSCRIBED" and answer["error"] == "", answer
    return answer


async def test_a_manager_watches_a_status_change_arrive_live_and_changes_one_from_the_page(
    api: httpx.AsyncClient, live_server: LiveServer, tenant: Tenant
) -> None:
    ticket = await file_report(api, tenant)
    hidden = await file_report(api, tenant, sensitive=True)
    async with Browser() as browser:
        answer = await signed_in(browser, live_server, tenant.emails["manager"])
        assert answer["title"] == "Municipal tickets" and "manager" in answer["who"]
        await browser.do("waitRow", id=ticket["id"], status="open")
        row = (await browser.rows())[ticket["id"]]
        assert row["cells"][:4] == [ticket["tracking_number"], "open", "water", ticket["priority"]]
        assert row["cells"][5] == "On track"  # the SLA badge

        # Changed elsewhere (the API, as the manager): the row follows within a second.
        await browser.do("arm", id=ticket["id"], status="in_progress")
        committed_at = await set_status(api, tenant, "manager", ticket["id"], "in_progress")
        seen_at = (await browser.do("seen", timeout=15))["seenAt"]
        lag_ms = seen_at - committed_at
        print(f"status change reached the page {lag_ms:.0f} ms after the API answered")
        assert lag_ms < 1000

        # Changed on the page: the API agrees.
        await browser.do("choose", id=ticket["id"], status="resolved")
        await browser.do("waitRow", id=ticket["id"], status="resolved")
        detail = await api.get(f"/api/v1/tickets/{ticket['id']}", headers=tenant.auth("manager"))
        assert detail.json()["status"] == "resolved"

        # A sensitive ticket's change never reaches the manager's page, before or after a
        # later ordinary change has arrived.
        await set_status(api, tenant, "saps_liaison", hidden["id"], "in_progress")
        await set_status(api, tenant, "manager", ticket["id"], "closed")
        await browser.do("waitRow", id=ticket["id"], status="closed")
        rows = await browser.rows()
        assert hidden["id"] not in rows
        assert not any(r["sensitive"] or r["cells"][2] == "GBV" for r in rows.values())
        await browser.screenshot("dashboard-manager.png")
    assert not [line for line in browser.console if line.startswith(("error", "pageerror"))]


async def test_a_saps_liaison_sees_the_sensitive_board_live(
    api: httpx.AsyncClient, live_server: LiveServer, tenant: Tenant
) -> None:
    ordinary = await file_report(api, tenant)
    sensitive = await file_report(api, tenant, sensitive=True)
    async with Browser() as browser:
        answer = await signed_in(browser, live_server, tenant.emails["saps_liaison"])
        assert answer["title"] == "Sensitive reports (GBV)"
        await browser.do("waitRow", id=sensitive["id"], status="open")
        rows = await browser.rows()
        assert ordinary["id"] not in rows
        assert rows and all(r["sensitive"] for r in rows.values())
        assert "Someone needs help" not in str(rows)  # no report text on the board

        await browser.do("arm", id=sensitive["id"], status="escalated")
        committed_at = await set_status(api, tenant, "saps_liaison", sensitive["id"], "escalated")
        assert (await browser.do("seen", timeout=15))["seenAt"] - committed_at < 1000
        await browser.screenshot("dashboard-saps.png")


async def test_a_citizen_is_turned_away_and_a_wrong_password_refused(
    live_server: LiveServer, tenant: Tenant
) -> None:
    async with Browser() as browser:
        await browser.do("open", url=f"{live_server.base_url}/dashboard")
        answer = await browser.do("signin", email=tenant.emails["citizen"], password=PASSWORD)
        assert answer["error"] == "Sign-in failed: this board is for municipal staff"
        assert (await browser.do("session"))["stored"] is False
        answer = await browser.do("signin", email=tenant.emails["manager"], password="wrong one")
        assert answer["error"] == "Sign-in failed: Invalid login credentials"


async def test_sign_in_persists_across_reloads_and_sign_out_ends_it(
    live_server: LiveServer, tenant: Tenant
) -> None:
    async with Browser() as browser:
        await browser.do("open", url=f"{live_server.base_url}/dashboard")
        await browser.screenshot("dashboard-signin.png")
        await browser.do("viewport", width=390, height=844)
        await browser.screenshot("dashboard-signin-390.png")
        await browser.do("viewport", width=1280, height=720)
        await browser.do("signin", email=tenant.emails["manager"], password=PASSWORD)
        assert (await browser.do("session"))["stored"] is True
        assert (await browser.do("reload"))["signinShown"] is False
        answer = await browser.do("board")
        assert answer["realtime"] == "SUBSCRIBED" and answer["title"] == "Municipal tickets"
        assert (await browser.do("signout"))["signinShown"] is True
        assert (await browser.do("session"))["stored"] is False
        assert (await browser.do("reload"))["signinShown"] is True


async def test_forgot_password_goes_through_the_mailbox_back_to_the_board(
    api: httpx.AsyncClient, live_server: LiveServer, tenant: Tenant, settings: Settings,
) -> None:
    email = f"forgetful.{tenant.code.lower()}@test.salga.example"
    await identity_user(settings, tenant, email)
    async with Browser() as browser:
        await browser.do("open", url=f"{live_server.base_url}/dashboard")
        answer = await browser.do("forgot", email=email)
        assert answer["error"] == "" and "reset link" in answer["notice"]
        (mail,) = Mailbox(settings.local_mail_dir).messages(to=email)
        link = re.search(r"http\S+/auth/v1/verify\S+", mail["text"])
        assert link
        await browser.do("open", url=link.group(0).replace(settings.public_base_url,
                                                           live_server.base_url))
        answer = await browser.do("newpassword", password="my new password 2026")
        assert answer["realtime"] == "SUBSCRIBED" and answer["error"] == "", answer
    signed = await api.post("/auth/v1/token", params={"grant_type": "password"},
                            json={"email": email, "password": "my new password 2026"},
                            headers={"apikey": settings.supabase_anon_key})
    assert signed.status_code == 200


async def identity_user(settings: Settings, tenant: Tenant, email: str) -> None:
    async with await AsyncConnection.connect(settings.database_url,
                                             row_factory=dict_row) as conn, conn.transaction():
        await identity.add_user(conn, email=email, role="manager", municipality_code=tenant.code,
                                password=PASSWORD)
