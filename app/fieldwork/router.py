"""POST /api/v1/tickets/{id}/take: thin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.fieldwork import service
from app.tickets import service as tickets
from app.tickets.schemas import TicketSummary

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.post("/tickets/{ticket_id}/take", response_model=TicketSummary,
             summary="Take a ticket on: assign it to yourself (open work starts)",
             responses={403: {"description": "Not yours to take"},
                        404: {"description": "No such ticket (or not one you can see)"},
                        409: {"description": "Already resolved or closed"}})
async def take(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    await service.take(db, caller=caller, ticket_id=ticket_id)
    return await tickets.get_ticket(db, caller=caller, ticket_id=ticket_id)
