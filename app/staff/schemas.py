"""Bodies of the staff API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from app.vocab import Role


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
