"""OCRs pending proof-of-residence documents and records the outcome (service role)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg_pool import AsyncConnectionPool

from app.db import service_transaction
from app.errors import sa_status
from app.ocr import pages
from app.ocr.decide import Outcome, decide
from app.storage.errors import StorageError
from app.storage.service import StorageService
from app.verification import repository

log = logging.getLogger("salga.verification")


async def outcome_for(case: dict[str, Any], storage: StorageService) -> Outcome:
    """Never raises: anything that goes wrong becomes a case for a person to review."""
    try:
        data = await storage.download(bucket=case["bucket"], path=case["path"])
        text = await asyncio.to_thread(pages.document_text, data)
    except pages.UnreadableDocument as exc:
        return Outcome("needs_review", reasons=[f"The document could not be read: {exc}."])
    except StorageError:
        return Outcome("needs_review", reasons=["The document file is missing."])
    except Exception:
        log.exception("OCR failed for document %s", case["document_id"])
        return Outcome("needs_review", reasons=["The document could not be processed."])
    return decide(text, municipality_name=case["municipality_name"],
                  full_name=case["full_name"], today=datetime.now(UTC).date())


async def process_pending(pool: AsyncConnectionPool, storage: StorageService,
                          *, user_id: UUID | None = None) -> int:
    """Decide every pending case (or just this user's); returns how many were decided."""
    async with service_transaction(pool, actor="verification") as conn:
        cases = await repository.pending(conn, user_id)
    for case in cases:
        outcome = await outcome_for(case, storage)
        try:
            async with service_transaction(pool, actor="verification") as conn:
                await repository.record(conn, user_id=case["user_id"],
                                        document_id=case["document_id"], status=outcome.status,
                                        address=outcome.address, reasons=outcome.reasons)
        except psycopg.Error as exc:
            if sa_status(exc) != 409:
                raise
            log.info("verification of %s changed while it was processed", case["user_id"])
    return len(cases)
