"""/api/v1/users: the municipality's staff, their roles and activation. Thin."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response

from app.auth import CallerDB, CurrentCaller
from app.staff import service
from app.staff.schemas import Invitation, InvitationOut, StaffChange, StaffMember

router = APIRouter(prefix="/api/v1", tags=["municipality set-up"])


@router.get("/users", response_model=list[StaffMember], summary="Staff of my municipality",
            responses={403: {"description": "Managers and admins only"}})
async def staff(db: CallerDB, caller: CurrentCaller, include_inactive: bool = False) -> Any:
    return await service.list_staff(db, caller=caller, include_inactive=include_inactive)


@router.patch("/users/{user_id}", response_model=StaffMember,
              summary="Change a person's role or switch them off (admins)",
              responses={403: {"description": "Not yours to change (above your role, "
                                              "yourself, or not an admin)"},
                         404: {"description": "No such person in your municipality"}})
async def change(user_id: UUID, body: StaffChange, db: CallerDB, caller: CurrentCaller) -> Any:
    return await service.change(db, caller=caller, user_id=user_id, change=body)


@router.post("/users", response_model=InvitationOut, status_code=201,
             summary="Invite a person as staff (admins): Auth emails them a sign-in link",
             responses={200: {"description": "Already invited with the same details"},
                        403: {"description": "Not yours to invite (above your role, yourself, "
                                            "another municipality's team, or not an admin)"},
                        409: {"description": "Invited before with other details, or the "
                                            "address belongs to someone else"}})
async def invite(body: Invitation, db: CallerDB, caller: CurrentCaller, request: Request,
                 response: Response) -> Any:
    landing = str(request.base_url).rstrip("/") + "/dashboard"
    row, created = await service.invite(db, caller=caller, invitation=body, redirect_to=landing)
    if not created:
        response.status_code = 200
    return row
