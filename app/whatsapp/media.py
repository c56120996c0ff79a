"""The media worker: photos from Twilio to Storage, cleaned, then deleted at Twilio.

Download (basic auth, timeout, size cap) → type checked on the bytes →
EXIF (GPS included) stripped → stored through the storage service at
{tenant}/{ticket}/{file_id}.{ext} in `evidence` or `gbv-evidence` (its trigger
records media_attachments) → deleted at Twilio. file_id is fixed per job, so
a retry overwrites the same object: nothing is stored twice.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any
from urllib.parse import urlparse

import httpx
from PIL import Image, ImageOps, UnidentifiedImageError
from psycopg_pool import AsyncConnectionPool
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from app.config import Settings
from app.db import service_transaction
from app.storage.service import StorageService
from app.whatsapp import media_repository as repo
from app.whatsapp.settings import ChannelSettings

log = logging.getLogger("salga.media")
KINDS = {"jpeg": ("image/jpeg", "JPEG"), "png": ("image/png", "PNG"),
         "webp": ("image/webp", "WEBP")}


class Rejected(Exception):
    """This file will never be stored (wrong type, too big, gone)."""


def sniff(data: bytes) -> str:
    """The file's real type from its first bytes (the Content-Type header is not trusted)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise Rejected("not an allowed image type (JPEG, PNG, WebP)")


def strip_metadata(data: bytes, kind: str) -> bytes:
    """The image re-encoded without EXIF/XMP (orientation applied first)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise Rejected("the image cannot be read") from exc
    out = io.BytesIO()
    clean.save(out, format=KINDS[kind][1], **({"quality": 90} if kind == "jpeg" else {}))
    return out.getvalue()


async def download(url: str, settings: Settings, channel: ChannelSettings) -> bytes:
    auth = (settings.twilio_account_sid, settings.twilio_auth_token)
    limit = channel.media_max_bytes
    async with httpx.AsyncClient(timeout=channel.http_timeout_seconds, follow_redirects=True,
                                 auth=auth) as client, client.stream("GET", url) as response:
        if response.status_code in (404, 410):
            raise Rejected(f"media is gone at Twilio ({response.status_code})")
        response.raise_for_status()
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise Rejected("media is larger than allowed")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise Rejected("media is larger than allowed")
            chunks.append(chunk)
    return b"".join(chunks)


def delete_at_twilio(client: Client, job: dict[str, Any]) -> None:
    media_sid = urlparse(job["media_url"]).path.rstrip("/").split("/")[-1].removesuffix(".json")
    try:
        client.messages(job["message_sid"]).media(media_sid).delete()
    except TwilioRestException as exc:
        if exc.status != 404:
            raise


class MediaWorker:
    def __init__(self, pool: AsyncConnectionPool, client: Client, settings: Settings,
                 channel: ChannelSettings, storage: StorageService) -> None:
        self.pool, self.client, self.settings, self.channel = pool, client, settings, channel
        self.storage = storage

    async def process_once(self) -> int:
        async with service_transaction(self.pool, actor="media-worker") as conn:
            jobs = await repo.claim_jobs(conn, limit=10,
                                         lease_seconds=self.channel.sending_lease_seconds)
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
        except Rejected as exc:
            await self.settle(job, status="failed", error=str(exc))
        except Exception as exc:
            log.warning("media job %s failed: %s", job["id"], exc)
            final = job["attempts"] >= self.channel.max_attempts
            delay = min(self.channel.backoff_max_seconds,
                        self.channel.backoff_base_seconds * 2 ** (job["attempts"] - 1))
            await self.settle(job, status="failed" if final else job["status"],
                              error=f"{type(exc).__name__}: {exc}"[:500], delay=delay)

    async def fetch_and_store(self, job: dict[str, Any]) -> None:
        raw = await download(job["media_url"], self.settings, self.channel)
        kind = sniff(raw)
        data = await asyncio.to_thread(strip_metadata, raw, kind)
        content_type = KINDS[kind][0]
        ext = "jpg" if kind == "jpeg" else kind
        path = f"{job['tenant_id']}/{job['ticket_id']}/{job['file_id']}.{ext}"
        # The same path on every retry (upsert): one object, and the storage trigger
        # records its media_attachments row once.
        await self.storage.upload(bucket=job["bucket"], path=path, data=data,
                                  content_type=content_type, upsert=True, source="whatsapp")
        async with service_transaction(self.pool, actor="media-worker") as conn:
            await repo.record_stored(conn, job_id=job["id"], path=path)

    async def settle(self, job: dict[str, Any], *, status: str, error: str | None = None,
                     delay: float = 0.0) -> None:
        async with service_transaction(self.pool, actor="media-worker") as conn:
            await repo.settle(conn, job_id=job["id"], status=status, error=error, delay=delay)
