"""WhatsApp photos, voice notes, videos and documents from Twilio to Storage, then
deleted at Twilio.

Download (basic auth, timeout, WhatsApp's size limit for the file's kind) → the
media pipeline (type checked on the bytes; photos lose their EXIF/GPS, other
kinds are kept as they came) → stored through the storage service at
{tenant}/{ticket}/{file_id}.{ext} in `evidence` or `gbv-evidence` (its trigger
records media_attachments) → deleted at Twilio. file_id is fixed per job, so
a retry overwrites the same object: nothing is stored twice.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlparse

import httpx
from psycopg_pool import AsyncConnectionPool
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from app.config import ChannelSettings, Settings
from app.db import service_transaction
from app.errors import TooLarge
from app.media import kinds, pipeline
from app.media import repository as repo
from app.storage import mime
from app.storage.service import StorageService
from app.streams import read_capped

log = logging.getLogger("salga.media")


class Rejected(Exception):
    """This file will never be stored (wrong type, too big, gone)."""


class TooBig(Rejected):
    """Larger than WhatsApp allows for its kind: the reporter is told, politely."""


def cleaned_media(raw: bytes, kind: str) -> tuple[bytes, str]:
    """The file's bytes (a photo's without metadata) and its real type, through the one
    pipeline; the bytes must be of the kind Twilio declared."""
    allowed = kinds.types_of(kind)
    verdict = pipeline.check(raw, declared=None, allowed=allowed)
    if verdict.reason is not None:
        if verdict.content_type is None or verdict.content_type not in allowed:
            raise Rejected(f"not an allowed {kind} type ({', '.join(allowed)})")
        raise Rejected(verdict.reason)
    assert verdict.content_type is not None
    return (verdict.cleaned if verdict.cleaned is not None else raw), verdict.content_type


async def download(url: str, settings: Settings, channel: ChannelSettings,
                   *, kind: str = "image") -> bytes:
    auth = (settings.twilio_account_sid, settings.twilio_auth_token)
    limit = min(channel.media_max_bytes, kinds.limit_of(kind))
    async with httpx.AsyncClient(timeout=channel.http_timeout_seconds, follow_redirects=True,
                                 auth=auth) as client, client.stream("GET", url) as response:
        if response.status_code in (404, 410):
            raise Rejected(f"media is gone at Twilio ({response.status_code})")
        response.raise_for_status()
        try:
            return await read_capped(response.aiter_bytes(), limit=limit, what="media",
                                     declared=response.headers.get("content-length"))
        except TooLarge as exc:
            raise TooBig(f"media is larger than WhatsApp allows for its kind "
                         f"({limit // kinds.MB} MB)") from exc


def delete_at_twilio(client: Client, job: dict[str, Any]) -> None:
    media_sid = urlparse(job["media_url"]).path.rstrip("/").split("/")[-1].removesuffix(".json")
    try:
        client.messages(job["message_sid"]).media(media_sid).delete()
    except TwilioRestException as exc:
        if exc.status != 404:
            raise


class WhatsAppMediaWorker:
    def __init__(self, pool: AsyncConnectionPool, client: Client, settings: Settings,
                 channel: ChannelSettings, storage: StorageService) -> None:
        self.pool, self.client, self.settings, self.channel = pool, client, settings, channel
        self.storage = storage

    async def process_once(self) -> int:
        async with service_transaction(self.pool, actor="media-worker") as conn:
            jobs = await repo.claim_media_jobs(
                conn, limit=10, lease_seconds=self.channel.sending_lease_seconds)
        for job in jobs:
            await self.process(job)
        return len(jobs)

    async def process(self, job: dict[str, Any]) -> None:
        try:
            if job["status"] == "pending":
                await self.fetch_and_store(job)
                job["status"] = "stored"
            await asyncio.to_thread(delete_at_twilio, self.client, job)
            done = "discarded" if job["status"] == "discard" else "done"
            await self.settle(job, status=done)
        except TooBig as exc:
            await self.settle(job, status="failed", error=str(exc), too_big=True)
        except Rejected as exc:
            await self.settle(job, status="failed", error=str(exc))
        except Exception as exc:
            log.warning("media job %s failed: %s", job["id"], exc)
            final = job["attempts"] >= self.channel.max_attempts
            await self.settle(job, status="failed" if final else job["status"],
                              error=f"{type(exc).__name__}: {exc}"[:500],
                              delay=self.channel.backoff(job["attempts"]))

    async def fetch_and_store(self, job: dict[str, Any]) -> None:
        kind = job.get("media_kind") or "image"
        raw = await download(job["media_url"], self.settings, self.channel, kind=kind)
        data, content_type = await asyncio.to_thread(cleaned_media, raw, kind)
        ext = mime.extension_for(content_type)
        path = f"{job['tenant_id']}/{job['ticket_id']}/{job['file_id']}.{ext}"
        # The same path on every retry (upsert): one object, and the storage trigger
        # records its media_attachments row once.
        await self.storage.upload(bucket=job["bucket"], path=path, data=data,
                                  content_type=content_type, upsert=True, source="whatsapp")
        async with service_transaction(self.pool, actor="media-worker") as conn:
            await repo.record_job_stored(conn, job_id=job["id"], path=path)

    async def settle(self, job: dict[str, Any], *, status: str, error: str | None = None,
                     delay: float = 0.0, too_big: bool = False) -> None:
        async with service_transaction(self.pool, actor="media-worker") as conn:
            await repo.settle_media_job(conn, job_id=job["id"], status=status, error=error,
                                        delay=delay)
            if too_big and job.get("ticket_id") is not None:
                limit = min(self.channel.media_max_bytes,
                            kinds.limit_of(job.get("media_kind") or "image"))
                await repo.tell_reporter_too_big(conn, ticket_id=job["ticket_id"],
                                                 limit_mb=limit // kinds.MB)
