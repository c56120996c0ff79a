"""Request and response bodies of the ticket API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.duplicates.schemas import PossibleDuplicate
from app.notes.schemas import Note
from app.vocab import Category, Language, SlaStatus, Status

Priority = Literal["low", "normal", "high", "urgent"]
Sort = Literal["newest", "oldest", "deadline", "updated"]


class ErrorOut(BaseModel):
    detail: Any = Field(description="What went wrong, in words a user can act on")


class ReportIn(BaseModel):
    """A citizen's web report. GBV reports are always sensitive."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: Category
    description: str = Field(min_length=3, max_length=5000)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    address: str | None = Field(default=None, min_length=3, max_length=500)
    is_sensitive: bool = False
    language: Language = "en"

    @model_validator(mode="after")
    def _where(self) -> ReportIn:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        protected = self.is_sensitive or self.category == "gbv"
        if self.latitude is None and not self.address and not protected:
            raise ValueError("give a location (latitude and longitude) or an address")
        return self


class ReportReceipt(BaseModel):
    """What the reporter gets back: enough to follow the report, nothing more."""

    id: UUID
    tracking_number: str
    status: Status
    category: Category
    priority: str
    is_sensitive: bool
    assigned_team_id: UUID | None
    sla_response_deadline: datetime | None
    sla_resolution_deadline: datetime | None
    created_at: datetime
    possible_duplicates: list[PossibleDuplicate] = Field(
        default_factory=list,
        description="Open reports of the same kind nearby (never for protected reports)")


class TicketSummary(BaseModel):
    id: UUID
    tracking_number: str
    status: Status
    category: Category
    priority: Priority
    assigned_team_id: UUID | None
    assigned_team_name: str | None
    assigned_to: UUID | None
    assigned_to_name: str | None
    address: str | None
    sla_status: SlaStatus
    sla_response_deadline: datetime | None
    sla_resolution_deadline: datetime | None
    created_at: datetime
    updated_at: datetime
    is_sensitive: bool


class TicketPage(BaseModel):
    items: list[TicketSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page")


class Assignment(BaseModel):
    id: UUID
    team_id: UUID | None
    team_name: str | None
    assigned_to: UUID | None
    assigned_by: UUID | None
    reason: str | None
    is_current: bool
    created_at: datetime


class MediaItem(BaseModel):
    id: UUID
    content_type: str | None
    size_bytes: int | None
    scan_status: str
    source: str | None
    created_at: datetime
    url: str | None = Field(description="Short-lived download URL once the file passed its "
                                        "safety check; null before and if it failed")


class TicketDetail(TicketSummary):
    description: str | None = Field(
        description="The report's text; for sensitive reports decrypted for SAPS and admins only")
    latitude: float | None
    longitude: float | None
    language: str
    source: str
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    escalation_reason: str | None
    duplicate_of: UUID | None = Field(
        default=None, description="The original this ticket was merged into, if any")
    assignments: list[Assignment] | None = Field(
        default=None, description="Assignment history (staff only)")
    media: list[MediaItem] = Field(default_factory=list)
    notes: list[Note] | None = Field(default=None, description="Internal notes (staff only)")


class PriorityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    priority: Priority


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Status
    reason: str | None = Field(default=None, max_length=500)


class AssignRequest(BaseModel):
    """A team (and optionally a member of it); no team = route by the rules."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    team_id: UUID | None = None
    assigned_to: UUID | None = None
    reason: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _team_for_member(self) -> AssignRequest:
        if self.assigned_to is not None and self.team_id is None:
            raise ValueError("give the team_id of the member you assign")
        return self


class HistoryEntry(BaseModel):
    at: datetime
    kind: Literal["assignment", "audit"]
    action: str
    actor_id: UUID | None
    details: dict[str, Any]


class History(BaseModel):
    items: list[HistoryEntry]
