"""Tokens are verified like Supabase's servers verify them; bad ones are a 401."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest

from app.config import Settings
from tests.support.tenants import Tenant


def signed(claims: dict[str, Any], secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"}


async def test_valid_token_reaches_the_caller_profile(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await api.get("/api/v1/me", headers=tenant.auth("manager"))
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "manager"
    assert body["tenant_id"] == str(tenant.id)
    assert body["municipality_code"] == tenant.code


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda c: {**c, "exp": int(time.time()) - 10}, "expired"),
        (lambda c: {**c, "aud": "somebody-else"}, "audience"),
        (lambda c: {k: v for k, v in c.items() if k != "exp"}, "invalid"),
        (lambda c: {**c, "role": "service_role"}, "role"),
    ],
)
async def test_bad_tokens_are_401(
    api: httpx.AsyncClient, tenant: Tenant, settings: Settings, mutate: Any, why: str
) -> None:
    claims = mutate(dict(tenant.claims["manager"]))
    response = await api.get("/api/v1/me", headers=signed(claims, settings.supabase_jwt_secret))
    assert response.status_code == 401
    assert why in response.json()["detail"]
    assert response.headers["www-authenticate"] == "Bearer"


async def test_forged_signature_is_401(api: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await api.get(
        "/api/v1/me", headers=signed(tenant.claims["admin"], "not-the-secret"))
    assert response.status_code == 401


async def test_alg_none_is_401(api: httpx.AsyncClient, tenant: Tenant) -> None:
    token = jwt.encode(tenant.claims["admin"], None, algorithm="none")  # type: ignore[arg-type]
    response = await api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", "Bearer not.a.jwt"])
async def test_missing_or_malformed_header_is_401(
    api: httpx.AsyncClient, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    response = await api.get("/api/v1/me", headers=headers)
    assert response.status_code == 401


async def test_anon_api_key_is_not_a_user_token(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    response = await api.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {settings.supabase_anon_key}"})
    assert response.status_code == 401
