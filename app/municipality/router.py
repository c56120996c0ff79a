"""/api/v1/municipality: thin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.auth import CallerDB, CurrentCaller
from app.municipality import service
from app.municipality.schemas import Municipality, MunicipalityChange

router = APIRouter(prefix="/api/v1", tags=["municipality set-up"])


@router.get("/municipality", response_model=Municipality, summary="My municipality (staff)",
            responses={403: {"description": "Staff only"}})
async def get(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.get(db, caller=caller)


@router.patch("/municipality", response_model=Municipality,
              summary="Set the municipality's WhatsApp number (admins)",
              responses={403: {"description": "Admins only"},
                         409: {"description": "Another municipality uses that number"}})
async def change(body: MunicipalityChange, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.change(db, caller=caller, change=body)
