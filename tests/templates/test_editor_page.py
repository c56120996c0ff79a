"""The message library editor in a real headless Chromium: a manager writes a new version
and sees it previewed with sample values, saves a draft; an admin approves it. The
screenshot is kept in tests/artifacts/."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile

from tests.dashboard.support import ARTIFACTS, CHROMIUM, ROOT
from tests.support.server import LiveServer
from tests.support.tenants import PASSWORD, Tenant

BODY = "Update on {tracking_number}: {status}. Reply \"status\" any time."


async def test_a_manager_drafts_with_a_preview_and_an_admin_approves_in_the_browser(
    live_server: LiveServer, town: Tenant
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "templates-editor.png"
    with tempfile.TemporaryDirectory(prefix="salga-chromium-") as profile:
        env = {**os.environ, "CHROMIUM": CHROMIUM, "USER_DATA_DIR": profile,
               "URL": live_server.base_url, "MANAGER": town.emails["manager"],
               "ADMIN": town.emails["admin"], "PASSWORD": PASSWORD, "KEY": "ticket_status_changed",
               "LANGUAGE": "en", "BODY": BODY, "SHOT": str(shot)}
        proc = await asyncio.create_subprocess_exec(
            "node", str(ROOT / "tests" / "templates" / "editor.mjs"), cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    result = json.loads(out.decode().strip().splitlines()[-1]) if out else {"error": err.decode()}
    assert result.get("ok"), result
    assert result["current"] == "Update on your report {tracking_number}: {status}."
    assert "{tracking_number}" in result["variables"] and "{status}" in result["variables"]
    assert result["preview"] == ('Update on DEMO-2026-000123: being worked on. '
                                 'Reply "status" any time.')
    assert result["managerMayApprove"] is False
    assert "Draft version" in result["saved"]
    assert "approved" in result["approved"] and result["currentAfter"] == BODY
    assert result["console"] == []
    assert shot.stat().st_size > 10_000
