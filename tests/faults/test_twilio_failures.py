"""Twilio's REST API answering 500, 429 and too slowly: the outbox retries with
backoff and each message reaches the citizen exactly once."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app.config import ChannelSettings, Settings
from app.worker import run_worker
from tests.notify.conftest import standin, wa, wa_tenant, worker_settings
from tests.notify.test_outbox import outbox, queue
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

__all__ = ["standin", "wa", "wa_tenant", "worker_settings"]

BACKOFF = 0.1
CHANNEL = ChannelSettings(send_rate_per_sender=0, backoff_base_seconds=BACKOFF,
                          http_timeout_seconds=0.3)


async def drain_until_settled(settings: Settings, database_url: str, ids: list[int],
                              *, within: float = 20.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        await run_worker(settings, CHANNEL, once=True)
        rows = await outbox(database_url, ids)
        if all(r["status"] not in ("pending", "sending") for r in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox not settled: {await outbox(database_url, ids)}")


async def test_500_429_and_a_timed_out_send_deliver_once_with_backoff(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    standin.state.fail_next[:] = [500, 429]
    standin.state.slow_replies, standin.state.slow_seconds = 1, 1.0
    ids = await queue(database_url, wa_tenant["id"], phone)
    started = time.monotonic()
    try:
        [row] = await drain_until_settled(worker_settings, database_url, ids)
    finally:
        standin.state.slow_replies = 0
    elapsed = time.monotonic() - started
    sent = standin.state.sent_to(phone)
    # 500, 429, then Twilio took the message but answered after our timeout;
    # the fourth attempt found it instead of sending it again.
    assert len(sent) == 1, sent
    assert row["status"] == "sent" and row["message_sid"] == sent[0]["sid"]
    assert row["attempts"] == 4 and row["last_error"] is None
    assert elapsed >= BACKOFF * (1 + 2 + 4)  # each retry waited longer than the last


async def test_many_messages_through_a_flaky_api_are_each_sent_once(
    wa: WhatsApp, wa_tenant: dict[str, Any], standin: TwilioStandIn, database_url: str,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    standin.state.fail_next[:] = [500, 429, 503, 502, 429, 500]
    standin.state.slow_replies, standin.state.slow_seconds = 3, 0.6
    ids = await queue(database_url, wa_tenant["id"], phone, count=12)
    try:
        rows = await drain_until_settled(worker_settings, database_url, ids)
    finally:
        standin.state.slow_replies = 0
    sent = standin.state.sent_to(phone)
    assert {r["status"] for r in rows} == {"sent"}
    assert len(sent) == 12 and len({m["Body"] for m in sent}) == 12
    assert sorted(r["message_sid"] for r in rows) == sorted(m["sid"] for m in sent)
