from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, Request

from app.auth import CallerDB
from app.errors import NotFound
from app.verification import repository, worker
from app.verification.schemas import Decision, SubmitVerification, Verification

router = APIRouter(prefix="/api/v1/verification", tags=["verification"])


@router.post("", response_model=Verification, status_code=202,
             summary="Submit a proof-of-residence document for verification",
             responses={404: {"description": "Not your document"},
                        409: {"description": "Already verified"}})
async def submit(body: SubmitVerification, db: CallerDB, request: Request,
                 background: BackgroundTasks) -> Verification:
    row = await repository.submit(db, body.document_id)
    background.add_task(worker.process_pending, request.app.state.pool,
                        request.app.state.storage, user_id=row["user_id"])
    return Verification(**row)


@router.get("", response_model=Verification, summary="My verification status")
async def mine(db: CallerDB) -> Verification:
    row = await repository.own(db)
    if row is None:
        raise NotFound("no profile for this user")
    return Verification(**row)


@router.get("/cases", response_model=list[Verification],
            summary="Verification cases of my municipality (managers and admins)")
async def cases(db: CallerDB, status: Literal["needs_review", "pending", "verified",
                                              "rejected"] = "needs_review") -> list[Verification]:
    return [Verification(**row) for row in await repository.cases(db, status)]


@router.post("/cases/{user_id}/decision", response_model=Verification,
             summary="Decide a case the OCR could not (managers and admins)",
             responses={404: {"description": "Unknown resident"},
                        409: {"description": "Not waiting for review"}})
async def decide(user_id: UUID, body: Decision, db: CallerDB) -> Verification:
    return Verification(**await repository.decide(db, user_id, body.decision, body.note))
