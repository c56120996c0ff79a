from __future__ import annotations

from fastapi import APIRouter

from app.auth import CallerDB
from app.errors import NotFound
from app.identity import repository
from app.identity.schemas import Me

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.get(
    "/me",
    response_model=Me,
    summary="Who am I",
    responses={401: {"description": "Missing, expired or invalid token"},
               404: {"description": "The token's user has no profile"}},
)
async def me(db: CallerDB) -> Me:
    row = await repository.own_profile(db)
    if row is None:
        raise NotFound("no profile for this user")
    return Me(**row)
