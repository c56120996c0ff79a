"""The statistics period: the last 30 days unless the caller names one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.auth import Caller
from app.errors import Forbidden
from app.stats import repository
from app.vocab import Conn

DEFAULT_DAYS = 30


async def ticket_stats(conn: Conn, *, caller: Caller, start: datetime | None,
                       end: datetime | None) -> dict[str, Any]:
    if not caller.is_staff:
        raise Forbidden("statistics are for municipal staff")
    caller.municipality()
    end = end or datetime.now(UTC)
    start = start or end - timedelta(days=DEFAULT_DAYS)
    return await repository.ticket_stats(conn, start=start, end=end)
