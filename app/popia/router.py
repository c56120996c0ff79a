"""The POPIA API (/api/v1): thin — validate, call the service, return."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, status
from fastapi.responses import HTMLResponse

from app.auth import CallerDB, CurrentCaller, client_ip, current_caller
from app.db import transaction_as
from app.errors import Invalid
from app.popia import service
from app.popia.html import render_bundle
from app.popia.schemas import (
    BreachIn,
    CompleteIn,
    ConsentIn,
    ConsentOut,
    DataRequestIn,
    DataRequestOut,
    ExtendIn,
    NoticeOut,
    OperatorIn,
    Purpose,
    Record,
    RequestStatus,
)
from app.vocab import Language

router = APIRouter(prefix="/api/v1", tags=["privacy (POPIA)"])


@router.get("/privacy/notice", response_model=NoticeOut,
            summary="The current privacy notice (POPIA s18), before or after sign-up")
async def privacy_notice(
    request: Request, language: Language = "en",
    municipality: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,8}$")] = None,
) -> Any:
    """Anyone may read it with `municipality=<code>`; a signed-in caller gets their own."""
    pool = request.app.state.pool
    if municipality is not None:
        async with transaction_as(pool, {"role": "anon"}) as conn:
            return await service.notice(conn, code=municipality, language=language)
    if not request.headers.get("authorization"):
        raise Invalid("municipality: give the municipality's code, or sign in")
    caller = await current_caller(request)
    async with transaction_as(pool, caller.claims) as conn:
        return await service.caller_notice(conn, caller=caller, language=language)


@router.get("/me/consents", response_model=list[ConsentOut], summary="My consents")
async def my_consents(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.my_consents(db, caller=caller)


@router.post("/me/consents", response_model=ConsentOut, status_code=status.HTTP_201_CREATED,
             summary="Give consent (or acknowledge the notice) against the version shown")
async def give_consent(body: ConsentIn, request: Request, db: CallerDB,
                       caller: CurrentCaller) -> Any:
    return await service.give_consent(
        db, caller=caller, purpose=body.purpose, notice_version=body.notice_version,
        language=body.language, ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""))


@router.delete("/me/consents/{purpose}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Withdraw a consent (free, at any time)")
async def withdraw_consent(purpose: Purpose, db: CallerDB, caller: CurrentCaller) -> Response:
    await service.withdraw_consent(db, caller=caller, purpose=purpose)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/me/data-requests", response_model=DataRequestOut,
             status_code=status.HTTP_201_CREATED,
             summary="Ask to access, correct or delete my information, or object (30 days)")
async def ask(body: DataRequestIn, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.ask(db, caller=caller, kind=body.kind, details=body.details)


@router.get("/me/data-requests", response_model=list[DataRequestOut], summary="My requests")
async def my_requests(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.my_requests(db, caller=caller)


@router.get("/me/export", summary="Everything held about me, and who accessed it (s23)")
async def export(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.export(db, caller=caller)


@router.get("/me/export.html", response_class=HTMLResponse,
            summary="The same bundle as a readable page")
async def export_html(db: CallerDB, caller: CurrentCaller) -> Any:
    return HTMLResponse(render_bundle(await service.export(db, caller=caller)))


@router.get("/data-requests", response_model=list[DataRequestOut],
            summary="The information officer's queue, soonest due first (admins)")
async def queue(db: CallerDB, caller: CurrentCaller,
                status_: Annotated[RequestStatus | None, Query(alias="status")] = None,
                overdue: bool | None = None) -> Any:
    return await service.queue(db, caller=caller, status=status_, overdue=overdue)


@router.post("/data-requests/{request_id}/extend", response_model=DataRequestOut,
             summary="Extend once by 30 days, with reasons (admins)")
async def extend(request_id: UUID, body: ExtendIn, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.extend(db, caller=caller, request_id=request_id, reason=body.reason)


@router.post("/data-requests/{request_id}/verify", response_model=DataRequestOut,
             summary="Record that the requester's identity was verified (admins)")
async def verify(request_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.verify_requester(db, caller=caller, request_id=request_id)


@router.post("/data-requests/{request_id}/complete", response_model=DataRequestOut,
             summary="Record the outcome; a granted deletion erases the person (admins)")
async def complete(request_id: UUID, body: CompleteIn, request: Request, db: CallerDB,
                   caller: CurrentCaller, tasks: BackgroundTasks) -> Any:
    row = await service.complete(db, caller=caller, request_id=request_id,
                                 outcome=body.outcome, reason=body.reason)
    if body.outcome == "deleted":
        tasks.add_task(service.remove_queued_files, request.app.state.pool,
                       request.app.state.storage)
    return row


@router.get("/breaches", response_model=list[Record], summary="Breach register (admins)")
async def breaches(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.register(db, caller=caller, table="breach_register")


@router.post("/breaches", response_model=Record, status_code=status.HTTP_201_CREATED,
             summary="Record a security compromise (admins)")
async def add_breach(body: BreachIn, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.add_to_register(db, caller=caller, table="breach_register",
                                         fields=body.model_dump())


@router.get("/operators", response_model=list[Record],
            summary="Operators and cross-border transfers (admins)")
async def operators(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.register(db, caller=caller, table="operators_register")


@router.post("/operators", response_model=Record, status_code=status.HTTP_201_CREATED,
             summary="Record an operator (admins)")
async def add_operator(body: OperatorIn, db: CallerDB, caller: CurrentCaller) -> Any:
    if body.cross_border and not body.safeguard:
        raise Invalid("safeguard: a transfer abroad needs its s72 safeguard")
    return await service.add_to_register(db, caller=caller, table="operators_register",
                                         fields=body.model_dump())
