"""Bodies of the duplicate-report API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class PossibleDuplicate(BaseModel):
    """An open report of the same kind nearby: its reference and state, nothing personal."""

    id: UUID
    tracking_number: str
    status: str
    category: str
    created_at: datetime
    distance_m: float = Field(description="Metres from the location given")


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    into: UUID = Field(description="The original ticket the duplicate is merged into")
    reason: str | None = Field(default=None, max_length=300)


class MergeOut(BaseModel):
    id: UUID
    tracking_number: str
    status: str
    duplicate_of: UUID
    duplicate_of_tracking_number: str


class FollowOut(BaseModel):
    ticket_id: UUID
    following: bool
