"""SAPS casework (/api/v1/casework, /api/v1/tickets/{id}/casework): thin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.casework import service
from app.casework.schemas import Casework, CaseworkChange

router = APIRouter(prefix="/api/v1", tags=["casework (SAPS)"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such protected report (or not one you can see)"},
    422: {"description": "The request is not valid; the detail says what to fix"},
}


@router.get("/casework", response_model=list[Casework],
            summary="Protected reports to work: unacknowledged first, then by deadline")
async def queue(db: CallerDB, caller: CurrentCaller, open_only: bool = True) -> Any:
    return await service.queue(db, caller=caller, open_only=open_only)


@router.get("/tickets/{ticket_id}/casework", response_model=Casework, responses=ERRORS,
            summary="A protected report's casework")
async def get(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.get(db, caller=caller, ticket_id=ticket_id)


@router.patch("/tickets/{ticket_id}/casework", response_model=Casework, responses=ERRORS,
              summary="Acknowledge, record the CAS number, referral or how to contact safely")
async def change(ticket_id: UUID, body: CaseworkChange, db: CallerDB,
                 caller: CurrentCaller) -> Any:
    return await service.change(db, caller=caller, ticket_id=ticket_id, change=body)
