"""Runs the post-upload check over files not yet checked (service role: a worker)."""

from __future__ import annotations

import logging

from psycopg_pool import AsyncConnectionPool

from app.db import service_transaction
from app.media import pipeline, repository
from app.storage.errors import StorageError
from app.storage.service import StorageService

log = logging.getLogger("salga.media")


async def scan_pending(pool: AsyncConnectionPool, storage: StorageService,
                       *, limit: int = 50) -> int:
    """Check up to `limit` pending files; returns how many were checked."""
    async with service_transaction(pool, actor="media-scan") as conn:
        rows = await repository.pending_scans(conn, limit)
    for row in rows:
        try:
            data = await storage.download(bucket=row["bucket"], path=row["path"])
        except StorageError:
            # Settled, not skipped: a file that is gone would otherwise be "pending" forever
            # and every worker pass would try it again.
            log.warning("media %s vanished before its check", row["id"])
            async with service_transaction(pool, actor="media-scan") as conn:
                await repository.mark_scanned(
                    conn, row["id"], reason="The file was gone before its safety check.",
                    size=None)
            continue
        verdict = pipeline.check(data, declared=row["content_type"],
                             allowed=row["allowed_mime_types"])
        if verdict.cleaned is not None:
            await storage.upload(bucket=row["bucket"], path=row["path"], data=verdict.cleaned,
                                 content_type=row["content_type"], upsert=True, source="api")
        async with service_transaction(pool, actor="media-scan") as conn:
            await repository.mark_scanned(
                conn, row["id"], reason=verdict.reason,
                size=len(verdict.cleaned) if verdict.cleaned is not None else None)
    return len(rows)
