"""Password sign-in, refresh rotation and reuse detection, sign-out scopes, bans:
the local Auth server behaves as Supabase Auth does."""

from __future__ import annotations

from typing import Any

import httpx

from app.config import Settings
from tests.authserver.conftest import (
    bearer,
    claims_of,
    new_user,
    owner_execute,
    refresh,
    sign_in,
)
from tests.support.tenants import PASSWORD as TENANT_PASSWORD
from tests.support.tenants import Tenant


async def test_a_manager_signs_in_and_the_token_carries_our_app_metadata(
    api: httpx.AsyncClient, anon_headers: dict[str, str], tenant: Tenant, settings: Settings,
) -> None:
    response = await sign_in(api, anon_headers, tenant.emails["manager"], TENANT_PASSWORD)
    assert response.status_code == 200, response.text
    session = response.json()
    assert session["token_type"] == "bearer" and session["expires_in"] == 3600
    assert session["user"]["email"] == tenant.emails["manager"]
    claims = claims_of(session["access_token"])
    assert claims["iss"] == f"{settings.public_base_url}/auth/v1"
    assert claims["app_metadata"]["tenant_id"] == str(tenant.id)
    assert claims["app_metadata"]["role"] == "manager"
    assert "salga_invite" not in claims["app_metadata"]  # read once, at creation
    assert {"sub", "aud", "exp", "iat", "role", "aal", "amr", "session_id",
            "is_anonymous"} <= claims.keys()
    me = await api.get("/api/v1/me", headers=bearer(session["access_token"], settings))
    assert me.status_code == 200 and me.json()["role"] == "manager"


async def test_wrong_passwords_and_unknown_people_get_the_same_answer(
    api: httpx.AsyncClient, anon_headers: dict[str, str], tenant: Tenant,
) -> None:
    wrong = await sign_in(api, anon_headers, tenant.emails["manager"], "not the password")
    nobody = await sign_in(api, anon_headers, "nobody@auth.salga.example", "whatever1")
    for response in (wrong, nobody):
        assert response.status_code == 400
        assert response.json() == {"code": 400, "error_code": "invalid_credentials",
                                   "msg": "Invalid login credentials"}


async def test_refresh_rotates_and_a_reused_token_ends_the_session(
    api: httpx.AsyncClient, anon_headers: dict[str, str], admin_headers: dict[str, str],
    database_url: str, settings: Settings,
) -> None:
    user = await new_user(api, admin_headers)
    first = (await sign_in(api, anon_headers, user["email"])).json()
    second = await refresh(api, anon_headers, first["refresh_token"])
    assert second.status_code == 200
    r2 = second.json()["refresh_token"]
    assert r2 != first["refresh_token"]
    # A retry within the reuse interval gets the same child token back.
    again = await refresh(api, anon_headers, first["refresh_token"])
    assert again.status_code == 200 and again.json()["refresh_token"] == r2
    # After the interval, reuse means theft: the whole session ends.
    owner_execute(database_url, "update auth.refresh_tokens set updated_at = now() - interval"
                  " '1 minute' where token = %s", (first["refresh_token"],))
    stolen = await refresh(api, anon_headers, first["refresh_token"])
    assert stolen.status_code == 400
    assert stolen.json()["error_code"] == "refresh_token_already_used"
    assert (await refresh(api, anon_headers, r2)).status_code == 400
    gone = await api.get("/auth/v1/user", headers=bearer(first["access_token"], settings))
    assert gone.status_code == 403 and gone.json()["error_code"] == "session_not_found"


async def test_sign_out_ends_this_session_or_all_of_them(
    api: httpx.AsyncClient, anon_headers: dict[str, str], admin_headers: dict[str, str],
    settings: Settings,
) -> None:
    user = await new_user(api, admin_headers)
    phone_session = (await sign_in(api, anon_headers, user["email"])).json()
    laptop_session = (await sign_in(api, anon_headers, user["email"])).json()
    out = await api.post("/auth/v1/logout", params={"scope": "local"},
                         headers=bearer(phone_session["access_token"], settings))
    assert out.status_code == 204
    assert (await refresh(api, anon_headers, phone_session["refresh_token"])).status_code == 400
    laptop = await refresh(api, anon_headers, laptop_session["refresh_token"])
    assert laptop.status_code == 200
    out = await api.post("/auth/v1/logout", params={"scope": "global"},
                         headers=bearer(laptop.json()["access_token"], settings))
    assert out.status_code == 204
    assert (await refresh(api, anon_headers, laptop.json()["refresh_token"])).status_code == 400


async def test_a_banned_person_is_signed_out_and_cannot_sign_in_until_unbanned(
    api: httpx.AsyncClient, anon_headers: dict[str, str], admin_headers: dict[str, str],
    settings: Settings,
) -> None:
    user = await new_user(api, admin_headers)
    session = (await sign_in(api, anon_headers, user["email"])).json()
    banned = await api.put(f"/auth/v1/admin/users/{user['id']}",
                           json={"ban_duration": "24h"}, headers=admin_headers)
    assert banned.status_code == 200 and banned.json()["banned_until"]
    assert (await refresh(api, anon_headers, session["refresh_token"])).status_code == 400
    who = await api.get("/auth/v1/user", headers=bearer(session["access_token"], settings))
    assert who.status_code == 403
    again = await sign_in(api, anon_headers, user["email"])
    assert again.status_code == 400 and again.json()["error_code"] == "user_banned"
    await api.put(f"/auth/v1/admin/users/{user['id']}", json={"ban_duration": "none"},
                  headers=admin_headers)
    assert (await sign_in(api, anon_headers, user["email"])).status_code == 200


async def test_bad_input_is_a_clear_4xx(
    api: httpx.AsyncClient, anon_headers: dict[str, str], admin_headers: dict[str, str],
) -> None:
    cases: list[tuple[str, str, dict[str, Any], dict[str, Any], int]] = [
        ("post", "/auth/v1/token?grant_type=password", {"email": "x"}, anon_headers, 400),
        ("post", "/auth/v1/token?grant_type=nonsense", {}, anon_headers, 400),
        ("post", "/auth/v1/token?grant_type=refresh_token", {}, anon_headers, 400),
        ("post", "/auth/v1/signup", {"email": "not-an-email", "password": "abcdefgh"},
         anon_headers, 400),
        ("post", "/auth/v1/signup", {"email": "short@auth.salga.example", "password": "ab"},
         anon_headers, 422),
        ("post", "/auth/v1/admin/users", {"email": "a@b.example"}, anon_headers, 403),
        ("put", "/auth/v1/admin/users/not-a-uuid", {}, admin_headers, 422),
        ("put", "/auth/v1/admin/users/00000000-0000-4000-8000-000000000000",
         {"ban_duration": "forever"}, admin_headers, 404),
        ("post", "/auth/v1/verify", {"type": "sms", "phone": "+27820000000", "token": "1"},
         anon_headers, 403),
        ("post", "/auth/v1/logout", {}, anon_headers, 401),
    ]
    for method, path, body, headers, status in cases:
        response = await api.request(method, path, json=body, headers=headers)
        assert response.status_code == status, (path, body, response.text)


async def test_a_deactivated_persons_session_stops_at_the_next_refresh(
    api: httpx.AsyncClient, anon_headers: dict[str, str], admin_headers: dict[str, str],
    tenant: Tenant, database_url: str,
) -> None:
    user = await new_user(api, admin_headers, app_metadata={
        "salga_invite": {"municipality": tenant.code, "role": "field_worker"}})
    session = (await sign_in(api, anon_headers, user["email"])).json()
    assert claims_of(session["access_token"])["app_metadata"]["role"] == "field_worker"
    owner_execute(database_url, "update public.profiles set is_active = false where id = %s",
                  (user["id"],))
    refused = await refresh(api, anon_headers, session["refresh_token"])
    assert refused.status_code == 403  # the token hook refuses inactive accounts
    assert (await sign_in(api, anon_headers, user["email"])).status_code == 403
