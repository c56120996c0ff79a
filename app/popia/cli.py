"""`salga person erase` and `salga retention run`: the operator's side of POPIA."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import get_settings
from app.db import open_pool
from app.popia import repository as repo
from app.popia import service
from app.storage import service as storage_service


@asynccontextmanager
async def owner_transaction(url: str) -> AsyncIterator[AsyncConnection[Any]]:
    """One committed transaction as the database owner (the operator's own access)."""
    conn = await AsyncConnection.connect(url, row_factory=dict_row)
    async with conn, conn.transaction():
        yield conn


async def _people(conn: AsyncConnection[Any], *, phone: str | None, email: str | None,
                  user_id: str | None) -> list[UUID]:
    if user_id:
        return [UUID(user_id)]
    if phone:
        return await repo.person_by_phone(conn, phone)
    if email:
        return await repo.person_by_email(conn, email)
    raise ValueError("say who: --phone, --email or --user-id")


async def erase_command(*, phone: str | None, email: str | None,
                        user_id: str | None) -> list[str]:
    settings = get_settings()
    pool = open_pool(settings.database_url, min_size=1, max_size=4)
    await pool.open()
    try:
        async with owner_transaction(settings.database_url) as conn:
            people = await _people(conn, phone=phone, email=email, user_id=user_id)
            if not people:
                raise ValueError("no citizen matches")
            results = [await repo.erase(conn, person) for person in people]
        storage, _ = storage_service.build(settings, pool)
        removed = await service.remove_queued_files(pool, storage)
    finally:
        await pool.close()
    lines = [f"erased {person}: {result['reports_deidentified']} report(s) de-identified, "
             f"{result['conversations_deleted']} conversation(s) deleted"
             for person, result in zip(people, results, strict=True)]
    return [*lines, f"removed {removed} file(s) from storage"]


async def retention_command(*, dry_run: bool) -> list[str]:
    settings = get_settings()
    pool = open_pool(settings.database_url, min_size=1, max_size=4)
    await pool.open()
    try:
        async with owner_transaction(settings.database_url) as conn:
            rows = await repo.apply_retention(conn, dry_run=dry_run)
        removed = 0
        if not dry_run:
            storage, _ = storage_service.build(settings, pool)
            removed = await service.remove_queued_files(pool, storage)
    finally:
        await pool.close()
    verb = "would" if dry_run else "did"
    lines = [f"{verb} {row['action']}: {row['items']} {row['kind']}"
             f" in {row['code'] or 'the platform'}" + (" (legal hold: kept)" if row["held"]
                                                       else "")
             for row in rows]
    if not rows:
        lines.append("nothing has expired")
    if not dry_run:
        lines.append(f"removed {removed} file(s) from storage")
    return lines
