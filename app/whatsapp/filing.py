"""Filing a report from a finished conversation: one call to the tickets service,
which encrypts a sensitive description and routes the ticket (GBV to the SAPS team)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from app.tickets import service as tickets


async def file_report(
    conn: AsyncConnection[Any], *, tenant_id: UUID, reporter_id: UUID, category: str,
    description: str, latitude: float | None, longitude: float | None, address: str | None,
    is_sensitive: bool, language: str, source: str = "whatsapp",
) -> dict[str, Any]:
    """The filed ticket's receipt (id, tracking_number, ...)."""
    return await tickets.file_report(
        conn, tenant_id=tenant_id, reporter_id=reporter_id, category=category,
        description=description, latitude=latitude, longitude=longitude, address=address,
        is_sensitive=is_sensitive, language=language, source=source)
