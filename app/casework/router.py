"""SAPS casework (/api/v1/casework, /api/v1/tickets/{id}/casework) and child referrals
(/api/v1/referrals, /api/v1/tickets/{id}/referral): thin."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.casework import service
from app.casework.schemas import Casework, CaseworkChange, ChildReferral, ChildReferralChange

router = APIRouter(prefix="/api/v1", tags=["casework (SAPS)"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such protected report (or not one you can see)"},
    409: {"description": "A flag, acknowledgement or referral once made is never undone"},
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
              summary="Acknowledge, record the CAS number, referral, how to contact safely, "
                      "or flag that a child is involved")
async def change(ticket_id: UUID, body: CaseworkChange, db: CallerDB,
                 caller: CurrentCaller) -> Any:
    return await service.change(db, caller=caller, ticket_id=ticket_id, change=body)


@router.post("/tickets/{ticket_id}/casework/acknowledge", response_model=Casework,
             responses=ERRORS, summary="Acknowledge a protected report (once; again is a no-op)")
async def acknowledge(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.acknowledge(db, caller=caller, ticket_id=ticket_id)


@router.get("/referrals", response_model=list[ChildReferral],
            summary="Child referrals to the Department of Social Development, pending first")
async def referrals(db: CallerDB, caller: CurrentCaller,
                    status: Literal["pending", "referred"] | None = None) -> Any:
    return await service.referrals(db, caller=caller, status=status)


@router.get("/tickets/{ticket_id}/referral", response_model=ChildReferral, responses=ERRORS,
            summary="A child case's referral (Form 22 details)")
async def referral(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.referral(db, caller=caller, ticket_id=ticket_id)


@router.patch("/tickets/{ticket_id}/referral", response_model=ChildReferral, responses=ERRORS,
              summary="Record what is known; status referred once sent to the department")
async def change_referral(ticket_id: UUID, body: ChildReferralChange, db: CallerDB,
                          caller: CurrentCaller) -> Any:
    return await service.change_referral(db, caller=caller, ticket_id=ticket_id, change=body)
