"""WhatsApp fixtures: a municipality with a WhatsApp number and a SAPS team, a
signed-message sender (the twilio SDK computes the signature), and the
Twilio REST stand-in."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from twilio.request_validator import RequestValidator

from app.config import Settings
from tests.support.server import LiveServer
from tests.support.tenants import Tenant
from tests.support.twilio_standin import TwilioStandIn

SIGNED_BASE = "http://127.0.0.1:8000"


def new_phone() -> str:
    return f"+2783{uuid.uuid4().int % 10**7:07d}"


@pytest.fixture(scope="session")
def standin(settings: Settings) -> Iterator[TwilioStandIn]:
    server = TwilioStandIn(settings.twilio_account_sid, settings.twilio_auth_token).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def worker_settings(settings: Settings, standin: TwilioStandIn) -> Settings:
    return settings.model_copy(update={"twilio_api_base_url": standin.base_url})


@pytest.fixture(scope="session")
async def wa_tenant(tenant: Tenant, database_url: str) -> dict[str, Any]:
    """The test tenant, given a WhatsApp number and a SAPS team."""
    number = f"+2721{uuid.uuid4().int % 10**7:07d}"
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute(
            "update public.municipalities set whatsapp_number = coalesce(whatsapp_number, %s)"
            " where id = %s returning whatsapp_number", (number, tenant.id))
        found = await cur.fetchone()
        assert found is not None
        number = found["whatsapp_number"]
        cur = await conn.execute(
            "insert into public.teams (tenant_id, name, categories, is_saps)"
            " values (%s, 'SAPS liaison', '{gbv}', true)"
            " on conflict (tenant_id, name) do update set is_saps = true returning id",
            (tenant.id,))
        team = await cur.fetchone()
        await conn.commit()
    assert team is not None
    return {"id": tenant.id, "number": number, "saps_team_id": team["id"], "tenant": tenant}


@dataclass
class Reply:
    status: int
    text: str
    raw: str


class WhatsApp:
    """Sends messages to the webhook the way Twilio does, signed with the auth token."""

    def __init__(self, client: httpx.AsyncClient, token: str, to: str) -> None:
        self.client, self.validator, self.to = client, RequestValidator(token), to

    def form(self, phone: str, body: str = "", **extra: str) -> dict[str, str]:
        return {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
                "From": f"whatsapp:{phone}", "To": f"whatsapp:{self.to}", "Body": body,
                "NumMedia": "0", "ProfileName": "Citizen", "WaId": phone.lstrip("+"), **extra}

    async def post(self, form: dict[str, str], *, path: str = "/webhooks/twilio/whatsapp",
                   signature: str | None = None) -> Reply:
        if signature is None:
            signature = self.validator.compute_signature(SIGNED_BASE + path, form)
        response = await self.client.post(path, data=form,
                                          headers={"X-Twilio-Signature": signature})
        found = re.search(r"<Message>(.*)</Message>", response.text, re.DOTALL)
        return Reply(response.status_code, unescape(found.group(1)) if found else "",
                     response.text)

    async def say(self, phone: str, body: str = "", **extra: str) -> str:
        reply = await self.post(self.form(phone, body, **extra))
        assert reply.status == 200, reply.raw
        return reply.text


@pytest.fixture
async def wa(live_server: LiveServer, settings: Settings, wa_tenant: dict[str, Any]
             ) -> AsyncIterator[WhatsApp]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
        yield WhatsApp(client, settings.twilio_auth_token, wa_tenant["number"])


async def onboard(wa: WhatsApp, phone: str, language: str = "en") -> None:
    """Choose the language and agree to the privacy notice."""
    choice = {"en": "1", "zu": "2", "af": "3", "xh": "4"}[language]
    await wa.say(phone, "hi")
    await wa.say(phone, choice)
    await wa.say(phone, "1")


@pytest.fixture(autouse=True)
def _texts(message_library: None) -> None:
    """Replies are compared with the library's approved texts."""
