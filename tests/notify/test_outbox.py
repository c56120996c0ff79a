"""`salga worker` drains the notification outbox through the Twilio stand-in."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import ChannelSettings, Settings
from app.worker import run_worker
from tests.support.texts import label, text
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

CHANNEL = ChannelSettings(send_rate_per_sender=0, backoff_base_seconds=0.0)


async def queue(database_url: str, tenant_id: Any, phone: str, *, count: int = 1,
                language: str = "en", key: str = "ticket_status_changed") -> list[int]:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        ids = []
        for n in range(count):
            cur = await conn.execute(
                "insert into public.notification_outbox (tenant_id, recipient, template_key,"
                " language, variables) values (%s, %s, %s, %s, %s) returning id",
                (tenant_id, phone, key, language,
                 json.dumps({"tracking_number": f"N-{uuid.uuid4().hex[:6]}-{n}",
                             "status": "in_progress"})))
            row = await cur.fetchone()
            assert row is not None
            ids.append(row["id"])
        await conn.commit()
    return ids


async def outbox(database_url: str, ids: list[int]) -> list[dict[str, Any]]:
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute("select * from public.notification_outbox where id = any(%s)"
                                 " order by id", (ids,))
        return await cur.fetchall()


async def test_a_notification_is_sent_once_in_the_citizens_language_and_tracked(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone, "zu")
    server = str(wa.client.base_url)
    ids = await queue(database_url, wa_tenant["id"], phone, language="zu")
    await run_worker(worker_settings, CHANNEL, once=True)
    await run_worker(worker_settings, CHANNEL, once=True)
    row = (await outbox(database_url, ids))[0]
    sent = standin.state.sent_to(phone)
    assert len(sent) == 1 and row["status"] == "sent" and row["message_sid"] == sent[0]["sid"]
    assert sent[0]["From"] == f"whatsapp:{wa_tenant['number']}"
    assert sent[0]["Body"] == text("ticket_status_changed", "zu",
                                   tracking_number=row["variables"]["tracking_number"],
                                   status=label("status", "in_progress", "zu"))
    assert standin.state.post_status(sent[0], "delivered", server=server).status_code == 204
    late = standin.state.post_status(sent[0], "sent", server=server)  # out of order
    assert late.status_code == 204
    assert (await outbox(database_url, ids))[0]["status"] == "delivered"
    forged = {**sent[0], "StatusCallback": sent[0]["StatusCallback"]}
    response = await wa.client.post("/webhooks/twilio/status", data={
        "MessageSid": forged["sid"], "MessageStatus": "failed"},
        headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403


async def test_5xx_and_429_retry_with_backoff_and_4xx_fails(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    standin.state.fail_next[:] = [500, 429]
    ids = await queue(database_url, wa_tenant["id"], phone)
    await run_worker(worker_settings, CHANNEL, once=True)
    row = (await outbox(database_url, ids))[0]
    assert row["status"] == "sent" and row["attempts"] == 3
    assert len(standin.state.sent_to(phone)) == 1

    standin.state.fail_next[:] = [400]
    ids = await queue(database_url, wa_tenant["id"], phone)
    await run_worker(worker_settings, CHANNEL, once=True)
    row = (await outbox(database_url, ids))[0]
    assert row["status"] == "failed" and "400" in row["last_error"] and row["attempts"] == 1

    slow = ChannelSettings(send_rate_per_sender=0, backoff_base_seconds=60)
    standin.state.fail_next[:] = [503]
    ids = await queue(database_url, wa_tenant["id"], phone)
    await run_worker(worker_settings, slow, once=True)
    row = (await outbox(database_url, ids))[0]
    assert row["status"] == "pending" and "503" in row["last_error"]
    assert row["next_attempt_at"] > row["updated_at"]


async def test_outside_the_window_the_approved_template_is_sent(
    wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()  # never wrote to us: no 24-hour window
    content_sid = "HX" + uuid.uuid4().hex
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute(
            "insert into public.whatsapp_templates (template_key, language, content_sid,"
            " variable_names) values ('ticket_status_changed', 'af', %s,"
            " '{tracking_number,status}') on conflict do nothing", (content_sid,))
        await conn.commit()
    with_template = await queue(database_url, wa_tenant["id"], phone, language="af")
    without = await queue(database_url, wa_tenant["id"], phone, language="en")
    await run_worker(worker_settings, CHANNEL, once=True)
    rows = await outbox(database_url, with_template + without)
    sent = standin.state.sent_to(phone)
    assert len(sent) == 1 and sent[0]["ContentSid"] == content_sid
    assert json.loads(sent[0]["ContentVariables"]) == {
        "1": rows[0]["variables"]["tracking_number"], "2": "in_progress"}
    assert rows[0]["status"] == "sent"
    assert rows[1]["status"] == "failed" and "24-hour" in rows[1]["last_error"]


async def test_an_opted_out_citizen_gets_nothing(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    await wa.say(phone, "stop")
    ids = await queue(database_url, wa_tenant["id"], phone)
    await run_worker(worker_settings, CHANNEL, once=True)
    assert (await outbox(database_url, ids))[0]["status"] == "cancelled"
    assert standin.state.sent_to(phone) == []


async def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    ids = await queue(database_url, wa_tenant["id"], phone, count=30)
    standin.state.delay = 0.05
    env = {**os.environ, "DATABASE_URL": database_url, "SUPABASE_URL": "",
           "TWILIO_API_BASE_URL": standin.base_url, "WHATSAPP_SENDING_LEASE_SECONDS": "1",
           "WHATSAPP_SEND_RATE_PER_SENDER": "0", "WHATSAPP_BATCH_SIZE": "30"}
    worker = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(standin.state.sent_to(phone)) < 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    standin.state.delay = 0.0
    killed_at = len(standin.state.sent_to(phone))
    assert 5 <= killed_at < 30
    await asyncio.sleep(1.5)  # the dead worker's lease runs out
    await run_worker(worker_settings, CHANNEL, once=True)
    rows = await outbox(database_url, ids)
    sent = standin.state.sent_to(phone)
    assert {r["status"] for r in rows} == {"sent"}
    assert len(sent) == 30 and len({m["Body"] for m in sent}) == 30
    assert sorted(r["message_sid"] for r in rows) == sorted(m["sid"] for m in sent)


async def test_a_replayed_status_callback_adds_nothing(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    server = str(wa.client.base_url)
    ids = await queue(database_url, wa_tenant["id"], phone)
    await run_worker(worker_settings, CHANNEL, once=True)
    sent = standin.state.sent_to(phone)[0]
    for _ in range(3):  # Twilio retries; a signed callback may be replayed
        assert standin.state.post_status(sent, "delivered", server=server).status_code == 204
    assert standin.state.post_status(sent, "read", server=server).status_code == 204
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute("select status from public.notification_delivery_events"
                                 " where message_sid = %s order by id", (sent["sid"],))
        events = [r["status"] for r in await cur.fetchall()]
    assert events == ["delivered", "read"]
    assert (await outbox(database_url, ids))[0]["status"] == "delivered"
