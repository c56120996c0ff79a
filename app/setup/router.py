"""Setting up a municipality (/api/v1/teams, /api/v1/sla-policies): thin."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body

from app.auth import CallerDB, CurrentCaller
from app.setup import service
from app.setup.schemas import (
    Members,
    NewTeam,
    ServiceArea,
    SlaPolicies,
    SlaPolicyOut,
    Team,
    TeamChange,
)

router = APIRouter(prefix="/api/v1", tags=["municipality set-up"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, expired or invalid token"},
    403: {"description": "Your role may not do this"},
    404: {"description": "No such team (or not one of your municipality)"},
    422: {"description": "The request is not valid; the detail says what to fix"},
}


@router.get("/teams", response_model=list[Team], summary="Teams of my municipality",
            responses=ERRORS)
async def teams(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.list_teams(db, caller=caller)


@router.post("/teams", response_model=Team, status_code=201, summary="Create a team",
             responses=ERRORS)
async def create_team(body: NewTeam, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.create_team(db, caller=caller, team=body)


@router.patch("/teams/{team_id}", response_model=Team, summary="Rename, re-scope or retire",
              responses=ERRORS)
async def change_team(team_id: UUID, body: TeamChange, db: CallerDB,
                      caller: CurrentCaller) -> Any:
    return await service.change_team(db, caller=caller, team_id=team_id, change=body)


@router.put("/teams/{team_id}/members", response_model=Team,
            summary="Set the team's members (by user id)", responses=ERRORS)
async def set_members(team_id: UUID, body: Members, db: CallerDB,
                      caller: CurrentCaller) -> Any:
    return await service.set_members(db, caller=caller, team_id=team_id,
                                     user_ids=body.user_ids)


@router.put("/teams/{team_id}/service-area", response_model=Team,
            summary="Set the team's service area (GeoJSON Polygon/MultiPolygon; null clears)",
            responses=ERRORS)
async def set_service_area(team_id: UUID, db: CallerDB, caller: CurrentCaller,
                           body: Annotated[ServiceArea | None, Body()] = None) -> Any:
    return await service.set_service_area(db, caller=caller, team_id=team_id, area=body)


@router.get("/sla-policies", response_model=list[SlaPolicyOut],
            summary="SLA policies of my municipality", responses=ERRORS)
async def sla_policies(db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.list_sla_policies(db, caller=caller)


@router.put("/sla-policies", response_model=list[SlaPolicyOut],
            summary="Set response/resolution hours per category (and priority)",
            responses=ERRORS)
async def put_sla_policies(body: SlaPolicies, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.put_sla_policies(db, caller=caller, policies=body.policies)
