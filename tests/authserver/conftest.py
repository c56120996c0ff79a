"""Helpers for driving the local Auth server over HTTP, as supabase-js does."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from app.config import Settings

PASSWORD = "a long enough password"


@pytest.fixture
def anon_headers(settings: Settings) -> dict[str, str]:
    return {"apikey": settings.supabase_anon_key}


@pytest.fixture
def admin_headers(settings: Settings) -> dict[str, str]:
    key = settings.supabase_service_role_key
    return {"apikey": key, "Authorization": f"Bearer {key}"}


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def bearer(token: str, settings: Settings) -> dict[str, str]:
    return {"apikey": settings.supabase_anon_key, "Authorization": f"Bearer {token}"}


def new_email(label: str = "person") -> str:
    return f"{label}.{uuid.uuid4().hex[:10]}@auth.salga.example"


def new_phone() -> str:
    return f"+2783{uuid.uuid4().int % 10**7:07d}"


async def sign_in(api: httpx.AsyncClient, headers: dict[str, str], email: str,
                  password: str = PASSWORD) -> httpx.Response:
    return await api.post("/auth/v1/token", params={"grant_type": "password"},
                          json={"email": email, "password": password}, headers=headers)


async def refresh(api: httpx.AsyncClient, headers: dict[str, str], token: str) -> httpx.Response:
    return await api.post("/auth/v1/token", params={"grant_type": "refresh_token"},
                          json={"refresh_token": token}, headers=headers)


async def new_user(api: httpx.AsyncClient, admin_headers: dict[str, str], **extra: Any
                   ) -> dict[str, Any]:
    """A confirmed person with PASSWORD, created through the admin API."""
    body = {"email": new_email(), "password": PASSWORD, "email_confirm": True, **extra}
    created = await api.post("/auth/v1/admin/users", json=body, headers=admin_headers)
    assert created.status_code == 200, created.text
    result: dict[str, Any] = created.json()
    return result


def owner_execute(database_url: str, query: str, params: Any = None) -> None:
    """A committed statement as the database owner (postgres)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(query, params)


def js_script(name: str) -> Path:
    return Path(__file__).parent / "js" / name
