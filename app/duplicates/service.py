"""Duplicate reports: which open reports look like a new one, following one
instead of filing, and staff merging a duplicate into its original. The
rules (radius, age, protected reports, who may merge) are in the database."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.auth import Caller
from app.duplicates import repository
from app.errors import Forbidden, NotFound
from app.vocab import SENSITIVE_CATEGORY, Conn


async def find(
    conn: Conn,
    *,
    tenant_id: UUID,
    category: str,
    latitude: float | None,
    longitude: float | None,
    is_sensitive: bool = False,
    exclude: UUID | None = None,
) -> list[dict[str, Any]]:
    """Open ordinary reports of this category near this point, nearest first.

    A protected report, or one without a point, is compared with nothing."""
    if is_sensitive or category == SENSITIVE_CATEGORY or latitude is None or longitude is None:
        return []
    rows = await repository.possible_duplicates(
        conn, tenant_id=tenant_id, category=category, latitude=latitude,
        longitude=longitude, exclude=exclude)
    return [dict(r) for r in rows]


async def follow(
    conn: Conn, *, ticket_id: UUID, user_id: UUID | None = None, source: str = "web"
) -> dict[str, Any]:
    """Follow an open ordinary report (the caller, or `user_id` for the service role)."""
    await repository.follow(conn, ticket_id=ticket_id, user_id=user_id, source=source)
    return {"ticket_id": ticket_id, "following": True}


async def follow_as(conn: Conn, *, caller: Caller, ticket_id: UUID) -> dict[str, Any]:
    if caller.role != "citizen":
        raise Forbidden("only citizens follow reports")
    caller.municipality()
    return await follow(conn, ticket_id=ticket_id)


async def merge(
    conn: Conn, *, caller: Caller, ticket_id: UUID, into: UUID, reason: str | None
) -> dict[str, Any]:
    """Close `ticket_id` as a duplicate of `into`; followers and photos move there."""
    caller.municipality()
    await repository.merge(conn, ticket_id=ticket_id, into=into, reason=reason)
    row = await repository.merged(conn, ticket_id)
    if row is None:
        raise NotFound("ticket not found")
    return dict(row)
