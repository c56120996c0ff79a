"""POST /api/v1/tickets/{id}/replies: thin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.replies import service
from app.replies.schemas import ReplyIn, ReplyOut

router = APIRouter(prefix="/api/v1", tags=["tickets"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Managers, SAPS liaisons and admins only"},
    404: {"description": "No such ticket (or not one you can see)"},
    409: {"description": "The reporter cannot be messaged (no number, a protected report "
                         "whose person did not ask for WhatsApp, restricted processing), or "
                         "the reply_key was used for another text"},
    422: {"description": "Not an approved reply text, or the body is not valid"},
}


@router.post("/tickets/{ticket_id}/replies", response_model=ReplyOut, status_code=201,
             summary="Reply to the reporter with a response text", responses=ERRORS)
async def reply(ticket_id: UUID, body: ReplyIn, db: CallerDB, caller: CurrentCaller) -> Any:
    """Queued in the notification outbox in the reporter's language, as you (audited).
    The same `reply_key` again returns the message already queued."""
    return await service.reply(db, caller=caller, ticket_id=ticket_id,
                               template_key=body.template_key, reply_key=body.reply_key)
