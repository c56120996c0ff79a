"""/dashboard/admin in headless Chromium: an admin sets the WhatsApp number, creates a team,
uploads its service area from a GeoJSON file, sets SLA policies, and invites a member who
follows the invitation email's link (local mailbox), chooses a password and lands on the
dashboard with the invited role. Managers see the admin-only parts read-only."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import httpx
import pytest

from app.authserver.settings import Mailbox
from app.config import Settings
from tests.dashboard.support import Browser
from tests.dashboard.work import sign_in
from tests.support.server import LiveServer
from tests.support.tenants import Tenant, create_tenant

AREA = {"type": "Feature", "properties": {"name": "Ward 7"}, "geometry": {
    "type": "Polygon", "coordinates": [[[18.40, -33.94], [18.44, -33.94], [18.44, -33.90],
                                        [18.40, -33.90], [18.40, -33.94]]]}}


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


async def wait_notice(browser: Browser, text: str) -> None:
    await browser.do("waitUntil", arg=text, script="const n = document.getElementById('notice')"
                     ".textContent, e = document.getElementById('error').textContent;"
                     " if (e) throw new Error(e); return n === arg")


async def test_an_admin_sets_up_a_team_and_invites_a_member_who_signs_in(
    api: httpx.AsyncClient, live_server: LiveServer, town: Tenant, settings: Settings,
    tmp_path: Path,
) -> None:
    area_file = tmp_path / "ward-7.geojson"
    area_file.write_text(json.dumps(AREA))
    email = f"sipho.{uuid.uuid4().hex[:6]}@test.salga.example"
    number = f"+2721{uuid.uuid4().int % 10**7:07d}"
    async with Browser() as browser:
        await sign_in(browser, live_server, "admin", town.emails["admin"], live=False)
        await browser.do("fill", selector="#whatsapp", value=number)
        await browser.do("click", selector="#save-whatsapp")
        await wait_notice(browser, "WhatsApp number saved.")

        await browser.do("fill", selector="#team-name", value="Pothole crew")
        await browser.do("click", selector='#team-categories input[value="roads"]')
        await browser.do("click", selector="#team-default")
        await browser.do("click", selector="#create-team")
        await wait_notice(browser, "Team created.")
        await browser.do("waitFor", selector='#teams li[data-name="Pothole crew"].selected')
        assert (await browser.do("texts", selector='#categories tr[data-category="roads"] td'))[
            "texts"] == ["roads", "Pothole crew", "Pothole crew"]

        await browser.do("upload", selector="#area-file", files=[str(area_file)])
        await browser.do("click", selector="#upload-area")
        await wait_notice(browser, "Service area saved.")
        await browser.do("waitFor", selector='#area-status[data-set="true"]')

        await browser.do("fill", selector='#sla tr[data-category="roads"] .respond', value="8")
        await browser.do("fill", selector='#sla tr[data-category="roads"] .resolve', value="48")
        await browser.do("click", selector="#save-sla")
        await wait_notice(browser, "SLA policies saved.")
        await browser.do("select", selector="#sla-priority", value="urgent")
        await browser.do("fill", selector='#sla tr[data-category="roads"] .respond', value="2")
        await browser.do("fill", selector='#sla tr[data-category="roads"] .resolve', value="12")
        await browser.do("click", selector="#save-sla")
        await wait_notice(browser, "SLA policies saved.")

        await browser.do("fill", selector="#invite-email", value=email)
        await browser.do("fill", selector="#invite-name", value="Sipho Ndlovu")
        await browser.do("select", selector="#invite-role", value="field_worker")
        team_id = (await browser.do("evaluate", script="return document.getElementById('team')"
                                    ".dataset.id"))["value"]
        await browser.do("select", selector="#invite-team", value=team_id)
        await browser.do("click", selector="#invite")
        await wait_notice(browser, f"Invitation sent to {email}.")
        names = (await browser.do("texts", selector="#staff tr td:first-child"))["texts"]
        assert "Sipho Ndlovu" in names
        await browser.screenshot("admin-setup.png")

    teams = (await api.get("/api/v1/teams", headers=town.auth("admin"))).json()
    (crew,) = [t for t in teams if t["name"] == "Pothole crew"]
    assert crew["has_service_area"] and crew["is_default"] and crew["categories"] == ["roads"]
    assert [m["full_name"] for m in crew["members"]] == ["Sipho Ndlovu"]
    assert crew["service_area"]["type"] == "MultiPolygon"
    policies = (await api.get("/api/v1/sla-policies", headers=town.auth("manager"))).json()
    assert [(p["priority"], p["response_hours"], p["resolution_hours"]) for p in policies
            if p["category"] == "roads"] == [("any", 8, 48), ("urgent", 2, 12)]
    municipality = (await api.get("/api/v1/municipality", headers=town.auth("manager"))).json()
    assert municipality["whatsapp_number"] == number

    # The invitee follows the email's link, chooses a password, and is on the dashboard
    # as a field worker of the crew.
    (mail,) = Mailbox(settings.local_mail_dir).messages(to=email)
    link = re.search(r"http\S+/auth/v1/verify\S+", mail["text"])
    assert link
    async with Browser() as invitee:
        await invitee.do("goto", url=link.group(0).replace(settings.public_base_url,
                                                           live_server.base_url))
        await invitee.do("waitFor", selector="#newpassword:not([hidden])")
        await invitee.do("fill", selector="#new-password", value="pothole season 2026")
        await invitee.do("click", selector="#newpassword button[type=submit]")
        await invitee.do("waitFor", selector='body[data-realtime="SUBSCRIBED"]', state="attached")
        who = (await invitee.do("text", selector="#who"))["text"]
        assert who.endswith("field worker"), who
        await invitee.screenshot("admin-invitee-dashboard.png")
    signed = await api.post("/auth/v1/token", params={"grant_type": "password"},
                            json={"email": email, "password": "pothole season 2026"},
                            headers={"apikey": settings.supabase_anon_key})
    assert signed.status_code == 200
    me = (await api.get("/api/v1/me", headers={
        "Authorization": f"Bearer {signed.json()['access_token']}"})).json()
    assert me["role"] == "field_worker" and me["team_ids"] == [crew["id"]]
    assert me["full_name"] == "Sipho Ndlovu"


async def test_a_manager_sees_the_admin_parts_read_only_and_a_bad_area_is_refused(
    live_server: LiveServer, town: Tenant, tmp_path: Path,
) -> None:
    line = tmp_path / "road.geojson"
    line.write_text(json.dumps({"type": "LineString", "coordinates": [[18.4, -33.9],
                                                                       [18.5, -33.9]]}))
    async with Browser() as browser:
        await sign_in(browser, live_server, "admin", town.emails["manager"], live=False)
        assert (await browser.do("visible", selector="#invite"))["visible"] is False
        assert (await browser.do("visible", selector="#readonly"))["visible"] is True
        assert (await browser.do("evaluate", script="return document.getElementById('whatsapp')"
                                 ".disabled"))["value"] is True
        assert (await browser.do("evaluate", script="return [...document.querySelectorAll("
                                 "'#staff select')].every((s) => s.disabled)"))["value"] is True
        await browser.do("fill", selector="#team-name", value="Verge cutters")
        await browser.do("click", selector='#team-categories input[value="other"]')
        await browser.do("click", selector="#create-team")
        await wait_notice(browser, "Team created.")
        await browser.do("upload", selector="#area-file", files=[str(line)])
        await browser.do("click", selector="#upload-area")
        await browser.do("waitUntil", script="return document.getElementById('error')"
                         ".textContent !== ''")
        error = (await browser.do("text", selector="#error"))["text"]
        assert "type" in error or "service_area" in error, error
        assert (await browser.do("text", selector="#area-status"))["text"].startswith("No ")
        await browser.screenshot("admin-manager.png")
