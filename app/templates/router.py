"""The message library API (/api/v1/templates): thin — validate, call the service, return."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from app.auth import CallerDB, CurrentCaller
from app.templates import service
from app.templates.schemas import (
    ApproveIn,
    DraftIn,
    LibraryOut,
    PreviewIn,
    PreviewOut,
    TemplateOut,
    TemplateStatus,
)
from app.vocab import Language

router = APIRouter(prefix="/api/v1/templates", tags=["message library"])


@router.get("", response_model=LibraryOut, summary="Texts and their versions (staff)")
async def list_templates(
    db: CallerDB, caller: CurrentCaller, key: str | None = None,
    language: Language | None = None,
    status_: Annotated[TemplateStatus | None, Query(alias="status")] = None,
) -> Any:
    return await service.library(db, caller=caller, key=key, language=language, status=status_)


@router.post("", response_model=TemplateOut, status_code=status.HTTP_201_CREATED,
             summary="Draft a new version of a text (managers, admins)")
async def draft(body: DraftIn, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.draft(db, caller=caller, key=body.key, language=body.language,
                               body=body.body, note=body.note)


@router.post("/preview", response_model=PreviewOut, summary="A text with sample values")
async def preview(body: PreviewIn, caller: CurrentCaller) -> Any:
    return {"text": service.preview(caller=caller, body=body.body, values=body.values)}


@router.post("/{template_id}/approve", response_model=TemplateOut,
             summary="Approve a draft; the version it replaces is retired (admins)")
async def approve(template_id: UUID, body: ApproveIn, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.change_status(db, caller=caller, template_id=template_id,
                                       status="approved", note=body.note)


@router.post("/{template_id}/retire", response_model=TemplateOut,
             summary="Retire a version (admins)")
async def retire(template_id: UUID, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.change_status(db, caller=caller, template_id=template_id,
                                       status="retired", note=None)
