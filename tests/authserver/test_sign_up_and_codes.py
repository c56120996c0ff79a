"""Citizens sign up (naming their municipality once), sign in with SMS codes,
and recover passwords through the local mailbox; codes and tries are limited."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg

from app.authserver.settings import Mailbox
from app.config import Settings
from app.main import create_app
from tests.authserver.conftest import (
    PASSWORD,
    bearer,
    claims_of,
    new_email,
    new_phone,
    refresh,
    sign_in,
)
from tests.support.server import LiveServer
from tests.support.tenants import Tenant


def latest_code(settings: Settings, to: str) -> str:
    (message, *_) = Mailbox(settings.local_mail_dir).messages(to=to)
    found = re.search(r"\b(\d{6})\b", message["text"])
    assert found, message
    return found.group(1)


async def test_a_citizen_names_their_municipality_once_and_never_again(
    api: httpx.AsyncClient, anon_headers: dict[str, str], tenant: Tenant,
    other_tenant: Tenant, settings: Settings, database_url: str,
) -> None:
    email = new_email("citizen")
    signed = await api.post("/auth/v1/signup", headers=anon_headers, json={
        "email": email, "password": PASSWORD,
        "data": {"municipality": tenant.code, "full_name": "Ayanda Resident", "role": "admin"}})
    assert signed.status_code == 200, signed.text
    session = signed.json()
    meta = claims_of(session["access_token"])["app_metadata"]
    assert meta["tenant_id"] == str(tenant.id) and meta["role"] == "citizen"
    # user_metadata is the user's to edit; it never moves them or makes them staff.
    changed = await api.put("/auth/v1/user", headers=bearer(session["access_token"], settings),
                            json={"data": {"municipality": other_tenant.code, "role": "admin"}})
    assert changed.status_code == 200
    assert changed.json()["user_metadata"]["municipality"] == other_tenant.code
    renewed = (await refresh(api, anon_headers, session["refresh_token"])).json()
    meta = claims_of(renewed["access_token"])["app_metadata"]
    assert meta["tenant_id"] == str(tenant.id) and meta["role"] == "citizen"
    again = await api.post("/auth/v1/signup", headers=anon_headers,
                           json={"email": email, "password": PASSWORD})
    assert again.status_code == 422 and again.json()["error_code"] == "user_already_exists"
    with psycopg.connect(database_url) as conn:
        row = conn.execute("select count(*) from auth.sessions s join auth.users u"
                           " on u.id = s.user_id where u.email = %s", (email,)).fetchone()
    assert row is not None and row[0] == 1


async def test_a_citizen_signs_in_with_an_sms_code_and_wrong_codes_run_out(
    api: httpx.AsyncClient, anon_headers: dict[str, str], settings: Settings,
) -> None:
    phone = new_phone()
    sent = await api.post("/auth/v1/otp", headers=anon_headers, json={"phone": phone})
    assert sent.status_code == 200, sent.text
    too_soon = await api.post("/auth/v1/otp", headers=anon_headers, json={"phone": phone})
    assert too_soon.status_code == 429
    assert too_soon.json()["error_code"] == "over_sms_send_rate_limit"
    code = latest_code(settings, phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        bad = await api.post("/auth/v1/verify", headers=anon_headers,
                             json={"type": "sms", "phone": phone, "token": wrong})
        assert bad.status_code == 403 and bad.json()["error_code"] == "otp_expired"
    # Five wrong codes: even the right one is refused for a while.
    locked = await api.post("/auth/v1/verify", headers=anon_headers,
                            json={"type": "sms", "phone": phone, "token": code})
    assert locked.status_code == 429


async def test_an_sms_code_signs_in_once(
    api: httpx.AsyncClient, anon_headers: dict[str, str], settings: Settings,
) -> None:
    phone = new_phone()
    await api.post("/auth/v1/otp", headers=anon_headers, json={"phone": phone})
    code = latest_code(settings, phone)
    body = {"type": "sms", "phone": phone, "token": code}
    first = await api.post("/auth/v1/verify", headers=anon_headers, json=body)
    assert first.status_code == 200, first.text
    assert first.json()["user"]["phone"] == phone.removeprefix("+")
    assert first.json()["user"]["phone_confirmed_at"]
    replay = await api.post("/auth/v1/verify", headers=anon_headers, json=body)
    assert replay.status_code == 403


async def test_forgot_password_goes_through_the_mailbox(
    api: httpx.AsyncClient, anon_headers: dict[str, str], admin_headers: dict[str, str],
    settings: Settings,
) -> None:
    email = new_email("forgetful")
    await api.post("/auth/v1/admin/users", headers=admin_headers,
                   json={"email": email, "password": PASSWORD, "email_confirm": True})
    asked = await api.post("/auth/v1/recover", headers=anon_headers, json={"email": email},
                           params={"redirect_to": f"{settings.public_base_url}/dashboard"})
    nobody = await api.post("/auth/v1/recover", headers=anon_headers,
                            json={"email": new_email("nobody")})
    assert asked.status_code == nobody.status_code == 200  # no account enumeration
    (mail,) = Mailbox(settings.local_mail_dir).messages(to=email)
    link = re.search(r"(http\S+/auth/v1/verify\S+)", mail["text"])
    assert link
    path = link.group(1).removeprefix(settings.public_base_url)
    landed = await api.get(path, follow_redirects=False)
    assert landed.status_code == 303
    target = urlsplit(landed.headers["location"])
    assert target.path == "/dashboard"
    fragment: dict[str, Any] = parse_qs(target.fragment)
    assert fragment["type"] == ["recovery"]
    token = fragment["access_token"][0]
    changed = await api.put("/auth/v1/user", headers=bearer(token, settings),
                            json={"password": "a brand new password"})
    assert changed.status_code == 200
    assert (await sign_in(api, anon_headers, email, PASSWORD)).status_code == 400
    assert (await sign_in(api, anon_headers, email, "a brand new password")).status_code == 200
    reused = await api.get(path, follow_redirects=False)
    assert "error_code=otp_expired" in reused.headers["location"]


async def test_password_tries_are_rate_limited_per_address(settings: Settings) -> None:
    app = create_app(settings)
    app.state.authserver.config = replace(app.state.authserver.config, sign_in_limit=3)
    server = LiveServer(app).start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            headers = {"apikey": settings.supabase_anon_key}
            statuses = [(await sign_in(client, headers, "x@auth.salga.example", "guess-1234")
                         ).status_code for _ in range(4)]
    finally:
        server.stop()
    assert statuses == [400, 400, 400, 429]
