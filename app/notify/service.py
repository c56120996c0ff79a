"""Draining the notification outbox to WhatsApp through Twilio.

Each row is claimed under a lease (`FOR UPDATE SKIP LOCKED`, so workers never
share one), sent from the municipality's number in the citizen's language,
and marked sent with its MessageSid. 5xx, 429 and network errors retry with
exponential backoff; other 4xx fail for good. A row whose lease ran out while
'sending' (a worker died mid-send) is first looked up at Twilio, so it is
never sent twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from psycopg_pool import AsyncConnectionPool
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from app.config import ChannelSettings, Settings
from app.db import service_transaction
from app.notify import repository as repo
from app.notify.ratelimit import SenderRateLimit
from app.notify.twilio import status_callback_url
from app.telemetry import metrics
from app.templates.render import Library, MissingText, load

log = logging.getLogger("salga.notify")
WINDOW = timedelta(hours=24)
RETRYABLE_STATUS = {429} | set(range(500, 600))
# A send that timed out or lost its connection may have reached Twilio: the
# retry looks the message up first instead of sending it a second time.
UNCERTAIN = "uncertain: "


class Permanent(Exception):
    """This notification can never be sent as it is; the message says why."""


def render(row: dict[str, Any], lib: Library) -> str:
    """The approved text of the row's message (its version lands in `lib.used`)."""
    values = dict(row["variables"] or {})
    for name, value in list(values.items()):
        if name.endswith("status") and isinstance(value, str):
            values[name] = lib.label("status", value, row["language"])
    try:
        return lib.text(row["template_key"], row["language"], **values)
    except MissingText as exc:
        raise Permanent(str(exc)) from exc


async def render_claimed(conn: Any, rows: list[dict[str, Any]]) -> None:
    """Render each claimed row from its municipality's library, once, and record the
    template version on the row; a text that cannot be rendered fails the row."""
    libraries: dict[Any, Library] = {}
    for row in rows:
        lib = libraries.get(row["tenant_id"])
        if lib is None:
            lib = libraries[row["tenant_id"]] = await load(conn, tenant_id=row["tenant_id"])
        before = len(lib.used)
        try:
            row["body"] = render(row, lib)
        except Permanent as exc:
            row["render_error"] = str(exc)
            continue
        chosen = lib.version(row["template_key"], row["language"])
        row["template_id"] = chosen.id
        del lib.used[before:]
        await repo.record_template(conn, outbox_id=row["id"], template_id=chosen.id)


def message_params(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Free text inside the 24-hour window; the approved template outside it."""
    last = row.get("last_inbound_at")
    if row.get("render_error"):
        raise Permanent(row["render_error"])
    if last is not None and now - last < WINDOW:
        return {"body": row["body"]}
    if not row.get("content_sid"):
        raise Permanent(f"outside the 24-hour window and no approved template for "
                        f"{row['template_key']!r} in {row['language']!r}")
    variables = row["variables"] or {}
    names = row.get("variable_names") or []
    try:
        content = {str(i + 1): str(variables[name]) for i, name in enumerate(names)}
    except KeyError as exc:
        raise Permanent(f"template variable {exc} missing") from exc
    return {"content_sid": row["content_sid"], "content_variables": json.dumps(content)}


def already_sent(client: Client, row: dict[str, Any], params: dict[str, Any]) -> str | None:
    """The SID of a message an interrupted attempt already got to Twilio, if any."""
    since = row["created_at"] - timedelta(days=1)
    for message in client.messages.list(to=f"whatsapp:{row['recipient']}",
                                        from_=f"whatsapp:{row['sender']}",
                                        date_sent_after=since, limit=200):
        if "body" in params and message.body == params["body"]:
            return str(message.sid)
    return None


def send(client: Client, settings: Settings, row: dict[str, Any], params: dict[str, Any]) -> str:
    if row["previous_status"] == "sending" or str(row.get("last_error") or "").startswith(
            UNCERTAIN):
        found = already_sent(client, row, params)
        if found:
            return found
    message = client.messages.create(
        to=f"whatsapp:{row['recipient']}", from_=f"whatsapp:{row['sender']}",
        status_callback=status_callback_url(settings), **params)
    return str(message.sid)


class OutboxDrainer:
    def __init__(self, pool: AsyncConnectionPool, client: Client, settings: Settings,
                 channel: ChannelSettings, *, concurrency: int = 8) -> None:
        self.pool, self.client, self.settings, self.channel = pool, client, settings, channel
        self.limit = SenderRateLimit(channel.send_rate_per_sender)
        self.slots = asyncio.Semaphore(concurrency)

    async def drain_once(self) -> int:
        """Claim one batch and settle every row in it; returns how many were claimed."""
        async with service_transaction(self.pool, actor="notify-worker") as conn:
            rows = await repo.claim_due(conn, limit=self.channel.batch_size,
                                        lease_seconds=self.channel.sending_lease_seconds)
            await render_claimed(conn, rows)
        await asyncio.gather(*(self.deliver(row) for row in rows))
        return len(rows)

    async def deliver(self, row: dict[str, Any]) -> None:
        async with self.slots:
            outcome = await self.attempt(row)
        async with service_transaction(self.pool, actor="notify-worker") as conn:
            kind, detail = outcome
            if kind in ("retry", "failed"):
                metrics.send_failed(kind)
            if kind == "sent":
                await repo.mark_sent(conn, outbox_id=row["id"], message_sid=detail)
            elif kind == "retry" and row["attempts"] < self.channel.max_attempts:
                await repo.mark_retry(conn, outbox_id=row["id"], error=detail,
                                      delay_seconds=self.channel.backoff(row["attempts"]))
            else:
                status = "cancelled" if kind == "cancelled" else "failed"
                await repo.mark_final(conn, outbox_id=row["id"], status=status, error=detail)

    async def attempt(self, row: dict[str, Any]) -> tuple[str, str]:
        if row["is_sensitive"]:
            return "cancelled", "sensitive reports are never notified first"
        if row["opted_out_at"] is not None:
            return "cancelled", "the citizen opted out"
        if not row["sender"]:
            return "failed", "the municipality has no WhatsApp number"
        try:
            params = message_params(row, datetime.now(UTC))
        except Permanent as exc:
            return "failed", str(exc)
        await self.limit.wait(row["sender"])
        try:
            sid = await asyncio.to_thread(send, self.client, self.settings, row, params)
        except TwilioRestException as exc:
            kind = "retry" if exc.status in RETRYABLE_STATUS else "failed"
            return kind, f"twilio {exc.status}: {exc.msg}"[:500]
        except (TwilioException, requests.RequestException, OSError) as exc:
            return "retry", f"{UNCERTAIN}{type(exc).__name__}: {exc}"[:500]
        return "sent", sid
