"""PostgreSQL restarted while signed webhooks arrive.

Twilio keeps posting messages (each phone in order, retrying a message with
the same MessageSid until it gets a 200). Every message that got a 200 is
stored and answered exactly once; the ones that did not were retried and
processed once; nothing is ever a 500. Runs on a throwaway cluster.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row

from app.config import Settings
from app.main import create_app
from tests.faults.cluster import ThrowawayCluster
from tests.support.server import LiveServer
from tests.support.tenants import create_tenant
from tests.whatsapp.conftest import WhatsApp, new_phone

PHONES = 12
STEPS = ["hi", "1", "1", "2"]  # language, consent, then the main menu


async def municipality_number(url: str, secret: str) -> str:
    tenant = await create_tenant(url, secret, roles=("citizen",))
    number = f"+2721{uuid.uuid4().int % 10**7:07d}"
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await conn.execute("update public.municipalities set whatsapp_number = %s"
                           " where id = %s", (number, tenant.id))
        await conn.commit()
    return number


async def deliver(wa: WhatsApp, form: dict[str, str], log: dict[str, Any]) -> None:
    """Twilio's side: the same signed request again until it gets a 200."""
    deadline = time.monotonic() + 40
    while True:
        try:
            reply = await wa.post(form)
            status = reply.status
        except httpx.TransportError:
            reply, status = None, "transport"
        log["statuses"].append(status)
        if status == 200 and reply is not None:
            log["replies"][form["MessageSid"]] = reply.text
            return
        assert status in (503, "transport"), f"{status}: {reply.raw if reply else ''}"
        assert time.monotonic() < deadline, "a message was never accepted"
        await asyncio.sleep(0.1)


async def test_messages_arriving_across_a_restart_are_each_processed_exactly_once(
    cluster: ThrowawayCluster, fault_settings: Settings
) -> None:
    number = await municipality_number(cluster.url, fault_settings.supabase_jwt_secret)
    server = LiveServer(create_app(fault_settings)).start()
    log: dict[str, Any] = {"statuses": [], "replies": {}}
    forms: dict[str, list[dict[str, str]]] = {}
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as client:
            wa = WhatsApp(client, fault_settings.twilio_auth_token, number)
            phones = [new_phone() for _ in range(PHONES)]

            async def conversation(phone: str) -> None:
                forms[phone] = []
                for body in STEPS:
                    form = wa.form(phone, body)
                    forms[phone].append(form)
                    await deliver(wa, form, log)
                    await asyncio.sleep(0.05)

            async def restart_midway() -> None:
                await asyncio.sleep(0.3)
                await asyncio.to_thread(cluster.restart)

            await asyncio.gather(restart_midway(), *(conversation(p) for p in phones))
    finally:
        server.stop()

    sids = [f["MessageSid"] for phone in forms for f in forms[phone]]
    assert len(log["replies"]) == len(sids) == PHONES * len(STEPS)
    assert any(s != 200 for s in log["statuses"]), "the restart interrupted nothing"
    with psycopg.connect(cluster.url, row_factory=dict_row) as conn:
        rows = conn.execute(
            "select message_sid, reply from public.whatsapp_inbound_messages"
            " where message_sid = any(%s)", (sids,)).fetchall()
        states = conn.execute(
            "select phone, state from public.whatsapp_conversations where phone = any(%s)",
            (list(forms),)).fetchall()
    assert sorted(r["message_sid"] for r in rows) == sorted(sids)  # each stored once
    for row in rows:  # and answered with what was stored
        assert log["replies"][row["message_sid"]] == (row["reply"] or "")
    # every conversation took each step exactly once: they all stand at the same place
    assert len(states) == PHONES and len({s["state"] for s in states}) == 1
