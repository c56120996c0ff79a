"""`salga worker`: sends queued notifications, fetches WhatsApp photos, checks new
uploads (type sniffing, EXIF removal, quarantine), decides proof-of-residence
cases that were not finished at upload time, expires drafts, and removes the files
that erasure and retention queued for removal from Storage.

Several workers can run side by side: every queue is claimed with
`FOR UPDATE SKIP LOCKED` under a lease. Everything runs as the service role.
"""

from __future__ import annotations

import asyncio
import logging

from app.config import ChannelSettings, Settings
from app.db import open_pool, service_transaction
from app.media.whatsapp import WhatsAppMediaWorker
from app.media.worker import scan_pending
from app.notify.service import OutboxDrainer
from app.notify.twilio import make_client
from app.popia.service import remove_queued_files
from app.storage import service as storage_service
from app.verification.worker import process_pending
from app.whatsapp import repository as whatsapp_repository

log = logging.getLogger("salga.worker")


async def run_worker(settings: Settings, channel: ChannelSettings, *, once: bool = False) -> int:
    """Work until stopped (or, with `once`, until every queue is empty); returns items done."""
    pool = open_pool(settings.database_url, min_size=1, max_size=6)
    await pool.open()
    client = make_client(settings, timeout=channel.http_timeout_seconds)
    drainer = OutboxDrainer(pool, client, settings, channel)
    storage, _ = storage_service.build(settings, pool)
    media = WhatsAppMediaWorker(pool, client, settings, channel, storage)
    total = 0
    try:
        while True:
            async with service_transaction(pool, actor="worker") as conn:
                await whatsapp_repository.expire_conversations(conn)
            done = (await drainer.drain_once() + await media.process_once()
                    + await scan_pending(pool, storage) + await process_pending(pool, storage)
                    + await remove_queued_files(pool, storage))
            total += done
            if done == 0:
                if once:
                    return total
                await asyncio.sleep(channel.poll_seconds)
    finally:
        await pool.close()
