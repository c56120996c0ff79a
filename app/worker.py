"""`salga worker`: sends queued notifications, fetches WhatsApp photos, expires drafts.

Several workers can run side by side: every queue is claimed with
`FOR UPDATE SKIP LOCKED` under a lease. Everything runs as the service role.
"""

from __future__ import annotations

import asyncio
import logging

from app.config import Settings
from app.db import open_pool, service_transaction
from app.notify.service import OutboxDrainer
from app.notify.twilio import make_client
from app.storage import service as storage_service
from app.whatsapp import media_repository
from app.whatsapp.media import MediaWorker
from app.whatsapp.settings import ChannelSettings

log = logging.getLogger("salga.worker")


async def run_worker(settings: Settings, channel: ChannelSettings, *, once: bool = False) -> int:
    """Work until stopped (or, with `once`, until every queue is empty); returns items done."""
    pool = open_pool(settings.database_url, min_size=1, max_size=6)
    await pool.open()
    client = make_client(settings, timeout=channel.http_timeout_seconds)
    drainer = OutboxDrainer(pool, client, settings, channel)
    storage, _ = storage_service.build(settings, pool)
    media = MediaWorker(pool, client, settings, channel, storage)
    total = 0
    try:
        while True:
            async with service_transaction(pool, actor="worker") as conn:
                await media_repository.expire_conversations(conn)
            done = await drainer.drain_once() + await media.process_once()
            total += done
            if done == 0:
                if once:
                    return total
                await asyncio.sleep(channel.poll_seconds)
    finally:
        await pool.close()
