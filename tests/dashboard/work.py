"""Shared steps of the staff work pages' browser tests (casework, field, admin)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.dashboard.support import Browser
from tests.support.server import LiveServer
from tests.support.tenants import PASSWORD, Tenant


async def sign_in(browser: Browser, live_server: LiveServer, page: str, email: str,
                  *, password: str = PASSWORD, live: bool = True) -> None:
    """Open /dashboard/<page>, sign in, and wait for the work area (and its live channels)."""
    await browser.do("goto", url=f"{live_server.base_url}/dashboard/{page}")
    await browser.do("fill", selector="#email", value=email)
    await browser.do("fill", selector="#password", value=password)
    await browser.do("click", selector="#signin button[type=submit]")
    await browser.do("waitUntil", script="return !document.getElementById('work').hidden"
                     " || document.getElementById('error').textContent !== ''")
    error = (await browser.do("text", selector="#error"))["text"]
    assert error == "", error
    if live:
        await browser.do("waitFor", selector='body[data-realtime="SUBSCRIBED"]', state="attached")


async def file_report(api: httpx.AsyncClient, tenant: Tenant, *, sensitive: bool = False,
                      description: str = "Burst pipe on the corner",
                      where: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"category": "gbv" if sensitive else "water",
                            "is_sensitive": sensitive, "description": description,
                            **(where or {"address": "12 Main Road"})}
    response = await api.post("/api/v1/reports", json=body, headers=tenant.auth("citizen"))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def page_errors(browser: Browser) -> list[str]:
    return [line for line in browser.console if line.startswith(("error", "pageerror"))]
