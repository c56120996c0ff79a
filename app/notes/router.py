"""GET/POST /api/v1/tickets/{id}/notes: thin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.notes import service
from app.notes.schemas import NewNote, Note

router = APIRouter(prefix="/api/v1", tags=["tickets"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Staff only"},
    404: {"description": "No such ticket (or not one you can see)"},
}


@router.get("/tickets/{ticket_id}/notes", response_model=list[Note],
            summary="Internal notes, oldest first", responses=ERRORS)
async def notes(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.list_notes(db, caller=caller, ticket_id=ticket_id)


@router.post("/tickets/{ticket_id}/notes", response_model=Note, status_code=201,
             summary="Add an internal note", responses=ERRORS)
async def add_note(ticket_id: UUID, body: NewNote, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.add_note(db, caller=caller, ticket_id=ticket_id, body=body.body)
