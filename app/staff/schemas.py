"""Bodies of the staff API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.vocab import Role

StaffRole = Literal["field_worker", "manager", "saps_liaison", "admin"]


class StaffMember(BaseModel):
    id: UUID
    full_name: str | None
    role: Role
    is_active: bool
    phone: str | None
    preferred_language: str
    teams: list[str]
    created_at: datetime


class StaffChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    is_active: bool | None = None


class Invitation(BaseModel):
    """A person to invite as staff: Auth emails them a link to set their password."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                       description="Where the invitation is sent")
    full_name: str = Field(min_length=2, max_length=120)
    role: StaffRole
    team_id: UUID | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class InvitationOut(BaseModel):
    id: UUID
    user_id: UUID
    email: str
    full_name: str
    role: StaffRole
    team_id: UUID | None
    invited_by: UUID
    created_at: datetime
