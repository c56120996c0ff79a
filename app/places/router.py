"""/api/v1/places: import a FeatureCollection, and see what a typed address matches."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.auth import CallerDB, CurrentCaller
from app.errors import NotFound
from app.places import service
from app.places.schemas import ImportResult, Match, PlaceImport

router = APIRouter(prefix="/api/v1", tags=["municipality set-up"])


@router.post("/places/import", response_model=ImportResult,
             summary="Add or replace places from a GeoJSON FeatureCollection (all or nothing)",
             responses={403: {"description": "Managers and admins only"},
                        422: {"description": "A feature is not valid; the detail names it"}})
async def import_places(body: PlaceImport, db: CallerDB, caller: CurrentCaller) -> Any:
    return {"imported": await service.import_for(db, caller=caller, features=body.features)}


@router.get("/places/match", response_model=Match,
            summary="The place a typed address names",
            responses={404: {"description": "No place matches"}})
async def match(db: CallerDB, caller: CurrentCaller,
                q: Annotated[str, Query(min_length=3, max_length=500)]) -> Any:
    found = await service.match_for(db, caller=caller, text=q)
    if found is None:
        raise NotFound("no place matches")
    return found
