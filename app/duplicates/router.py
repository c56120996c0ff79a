"""Following a report and merging duplicates (/api/v1): thin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.duplicates import service
from app.duplicates.schemas import FollowOut, MergeIn, MergeOut

router = APIRouter(prefix="/api/v1", tags=["duplicates"])


@router.post("/tickets/{ticket_id}/merge", response_model=MergeOut,
             summary="Merge a duplicate into its original (managers and admins)")
async def merge(ticket_id: UUID, body: MergeIn, db: CallerDB, caller: CurrentCaller) -> Any:
    """The duplicate is closed with a link to `into`; its reporter and followers follow
    the original and its photos move there. Protected reports are never merged (422);
    a closed ticket on either side is a 409; one you cannot see is a 404."""
    return await service.merge(db, caller=caller, ticket_id=ticket_id, into=body.into,
                               reason=body.reason)


@router.post("/tickets/{ticket_id}/follow", response_model=FollowOut,
             summary="Follow an open report instead of filing the same one (citizens)")
async def follow(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    """You are told of its status changes, like its reporter. Idempotent."""
    return await service.follow_as(db, caller=caller, ticket_id=ticket_id)
