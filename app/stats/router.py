"""GET /api/v1/stats: counts, overdue, medians, SLA attainment and a daily trend."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.auth import CallerDB, CurrentCaller
from app.stats import service
from app.stats.schemas import Stats

router = APIRouter(prefix="/api/v1", tags=["statistics"])


@router.get("/stats", response_model=Stats,
            summary="Statistics over a period (default: the last 30 days)",
            responses={403: {"description": "Staff only"},
                       422: {"description": "The period is not valid (at most a year)"}})
async def stats(db: CallerDB, caller: CurrentCaller,
                start: Annotated[datetime | None, Query(alias="from")] = None,
                end: Annotated[datetime | None, Query(alias="to")] = None) -> Any:
    """As you see tickets: a manager's figures never count a protected report."""
    return await service.ticket_stats(db, caller=caller, start=start, end=end)
