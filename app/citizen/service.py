"""Rules of the citizen page: public tracking and the check before filing."""

from __future__ import annotations

from typing import Any

from app.auth import Caller
from app.citizen import repository
from app.duplicates import service as duplicates
from app.errors import Forbidden, NotFound
from app.vocab import Conn

# The one answer for a number that does not exist and for a protected report.
NOT_FOUND = "no report with this tracking number"


async def track(conn: Conn, *, tracking_number: str) -> dict[str, Any]:
    """Anyone holding a tracking number: status, category and dates, nothing else."""
    found = await repository.track(conn, tracking_number)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


async def nearby(conn: Conn, *, caller: Caller, category: str, latitude: float,
                 longitude: float) -> list[dict[str, Any]]:
    """Open ordinary reports like the one about to be filed (protected: none)."""
    if caller.role != "citizen":
        raise Forbidden("the check before filing is for citizens")
    return await duplicates.find(conn, tenant_id=caller.municipality(), category=category,
                                 latitude=latitude, longitude=longitude)
