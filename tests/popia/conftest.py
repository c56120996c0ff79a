"""POPIA fixtures: a municipality of its own (with a WhatsApp number), citizens with
real tokens, and the WhatsApp sender."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import Settings
from app.identity import service as identity
from tests.support.server import LiveServer
from tests.support.tenants import Tenant, create_tenant
from tests.whatsapp.conftest import WhatsApp


@dataclass
class Citizen:
    id: UUID
    email: str
    phone: str
    name: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> Tenant:
    """A municipality of its own (its texts may be changed), with a WhatsApp number."""
    made = await create_tenant(database_url, settings.supabase_jwt_secret)
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("update public.municipalities set whatsapp_number = %s where id = %s",
                           (f"+2721{uuid.uuid4().int % 10**7:07d}", made.id))
        await conn.commit()
    return made


async def whatsapp_number(database_url: str, tenant: Tenant) -> str:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute("select whatsapp_number from public.municipalities"
                                 " where id = %s", (tenant.id,))
        row = await cur.fetchone()
    assert row is not None
    return str(row["whatsapp_number"])


@pytest.fixture
async def town_wa(live_server: LiveServer, settings: Settings, town: Tenant,
                  database_url: str) -> AsyncIterator[WhatsApp]:
    number = await whatsapp_number(database_url, town)
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
        yield WhatsApp(client, settings.twilio_auth_token, number)


async def new_citizen(database_url: str, secret: str, tenant: Tenant, *,
                      language: str = "en") -> Citizen:
    """A citizen who signed up on the web (an auth user and profile, as Auth makes them)."""
    tag = uuid.uuid4().hex[:8]
    email = f"citizen.{tag}@people.salga.example"
    phone = f"+2784{uuid.uuid4().int % 10**7:07d}"
    name = f"Nomvula Testperson{tag}"
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        user_id = await identity.add_user(conn, email=email, role="citizen",
                                          municipality_code=tenant.code, phone=phone,
                                          full_name=name, language=language)
        await conn.commit()
        token = await identity.issue_token(conn, email=email, secret=secret)
    return Citizen(user_id, email, phone, name, token)


async def one(database_url: str, query: str, params: Any = None) -> Any:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute(query, params)
        row = await cur.fetchone()
        await conn.commit()
    return row
