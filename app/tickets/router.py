"""The ticket API (/api/v1): thin — validate, call the service, return.

Every request runs as the caller (RLS decides what exists for them); the
service adds explicit tenant and sensitivity filters on top.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import StreamingResponse

from app.auth import CallerDB, CurrentCaller, client_ip
from app.db import transaction_as
from app.errors import Forbidden
from app.media.router import public
from app.tickets import export, service
from app.tickets.schemas import (
    AssignRequest,
    Category,
    ErrorOut,
    History,
    Priority,
    PriorityChange,
    ReportIn,
    ReportReceipt,
    SlaStatus,
    Sort,
    Status,
    StatusChange,
    TicketDetail,
    TicketPage,
    TicketSummary,
)

router = APIRouter(prefix="/api/v1", tags=["tickets"])


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        401: "Missing, expired or invalid token",
        403: "Your role may not do this",
        404: "No such ticket (or not one you can see)",
        409: "The ticket cannot make this change now (e.g. a refused status transition)",
        422: "The request is not valid; the detail says what to fix",
    }
    return {code: {"model": ErrorOut, "description": text[code]} for code in (401, *codes)}


@router.post("/reports", response_model=ReportReceipt, status_code=status.HTTP_201_CREATED,
             summary="File a report (citizens)", responses=_errors(403, 422))
async def file_report(body: ReportIn, db: CallerDB, caller: CurrentCaller) -> Any:
    """A citizen files a web report. It is routed and given SLA deadlines at once;
    a sensitive (GBV) description is encrypted before it reaches the database."""
    return await service.file_report(
        db, tenant_id=caller.municipality(), reporter_id=caller.user_id,
        category=body.category, description=body.description, latitude=body.latitude,
        longitude=body.longitude, address=body.address, is_sensitive=body.is_sensitive,
        language=body.language, source="web")


def list_filters(
    status_: Annotated[Status | None, Query(alias="status")] = None,
    category: Category | None = None,
    assigned_team_id: UUID | None = None,
    assigned_to: UUID | None = None,
    priority: Priority | None = None,
    sla_status: SlaStatus | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    q: Annotated[str | None, Query(max_length=100, description=(
        "A tracking number (or its start, e.g. DEMO-2026-0001) or words of the address"))]
    = None,
) -> dict[str, Any]:
    """The filters the list and the export share."""
    return {"status": status_, "category": category, "assigned_team_id": assigned_team_id,
            "assigned_to": assigned_to, "priority": priority, "sla_status": sla_status,
            "created_from": created_from, "created_to": created_to, "q": q}


Filters = Annotated[dict[str, Any], Depends(list_filters)]


@router.get("/tickets", response_model=TicketPage, summary="List tickets (filter, search, sort)",
            responses=_errors(403, 422))
async def list_tickets(
    db: CallerDB,
    caller: CurrentCaller,
    filters: Filters,
    sort: Sort = "newest",
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    """Managers see ordinary tickets, SAPS liaisons sensitive ones only, admins both;
    field workers their teams' tickets, citizens their own reports. `next_cursor` walks
    through everything, in the chosen order."""
    return await service.list_tickets(
        db, caller=caller, filters=filters, sort=sort, cursor=cursor, limit=limit)


@router.get("/tickets/export.csv", summary="The filtered list as CSV (staff)",
            response_class=StreamingResponse, responses=_errors(403, 422))
async def export_csv(request: Request, caller: CurrentCaller, filters: Filters,
                     sort: Sort = "newest") -> StreamingResponse:
    """Every ticket the filter matches, streamed; RLS decides which (protected reports
    only for SAPS liaisons and admins). The stream reads in its own transaction as you."""
    if not caller.is_staff:
        raise Forbidden("the export is for municipal staff")
    caller.municipality()

    async def body() -> AsyncIterator[str]:
        async with transaction_as(request.app.state.pool, caller.claims,
                                  client_ip=client_ip(request)) as conn:
            pages = service.export_rows(conn, caller=caller, filters=filters, sort=sort)
            async for chunk in export.csv_chunks(pages):
                yield chunk

    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": 'attachment; filename="tickets.csv"'})


@router.get("/tickets/{ticket_id}", response_model=TicketDetail, summary="A ticket in detail",
            responses=_errors(404))
async def get_ticket(ticket_id: UUID, db: CallerDB, caller: CurrentCaller,
                     request: Request) -> Any:
    """With SLA status and, for staff, assignment history. A sensitive report's text is
    decrypted for SAPS liaisons and admins only, and each such read is recorded."""
    ticket = await service.get_ticket(db, caller=caller, ticket_id=ticket_id,
                                      storage=request.app.state.storage)
    for item in ticket.get("media", []):  # local mode: on the host the caller reached
        if item["url"]:
            item["url"] = public(request, item["url"])
    return ticket


@router.patch("/tickets/{ticket_id}", response_model=TicketSummary,
              summary="Set a ticket's priority", responses=_errors(403, 404, 422))
async def set_priority(ticket_id: UUID, body: PriorityChange, db: CallerDB,
                       caller: CurrentCaller) -> Any:
    return await service.set_priority(db, caller=caller, ticket_id=ticket_id,
                                      priority=body.priority)


@router.patch("/tickets/{ticket_id}/status", response_model=TicketSummary,
              summary="Change a ticket's status", responses=_errors(403, 404, 409, 422))
async def change_status(ticket_id: UUID, body: StatusChange, db: CallerDB,
                        caller: CurrentCaller) -> Any:
    """Allowed: open → in_progress | escalated | closed; in_progress → escalated | resolved |
    closed; escalated → in_progress | resolved | closed; resolved → closed | in_progress;
    closed → open (managers and admins). Anything else is a 409."""
    return await service.change_status(
        db, caller=caller, ticket_id=ticket_id, status=body.status, reason=body.reason)


@router.post("/tickets/{ticket_id}/assign", response_model=TicketSummary,
             summary="Assign to a team, or auto-route", responses=_errors(403, 404, 422))
async def assign(ticket_id: UUID, body: AssignRequest, db: CallerDB,
                 caller: CurrentCaller) -> Any:
    """With `team_id`: that team (and `assigned_to`, else its least-loaded member).
    Without: the routing rules (service area and category, else the category's default
    team; sensitive reports only ever to the SAPS team)."""
    return await service.assign(
        db, caller=caller, ticket_id=ticket_id, team_id=body.team_id,
        assigned_to=body.assigned_to, reason=body.reason)


@router.get("/tickets/{ticket_id}/history", response_model=History,
            summary="Assignments and audit entries, oldest first", responses=_errors(404))
async def history(ticket_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return {"items": await service.history(db, caller=caller, ticket_id=ticket_id)}
