"""Request and response bodies of the ticket API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.duplicates.schemas import PossibleDuplicate

Category = Literal["water", "electricity", "roads", "waste", "sanitation", "gbv", "other"]
Status = Literal["open", "in_progress", "escalated", "resolved", "closed"]
SlaStatus = Literal["on_track", "warning", "breached_response", "breached_resolution"]
Language = Literal["en", "zu", "af"]


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
        if self.latitude is None and not self.address:
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
    priority: str
    assigned_team_id: UUID | None
    assigned_team_name: str | None
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


class TicketDetail(TicketSummary):
    description: str | None = Field(
        description="The report's text; for sensitive reports decrypted for SAPS and admins only")
    address: str | None
    latitude: float | None
    longitude: float | None
    language: str
    source: str
    assigned_to: UUID | None
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    escalation_reason: str | None
    duplicate_of: UUID | None = Field(
        default=None, description="The original this ticket was merged into, if any")
    assignments: list[Assignment] | None = Field(
        default=None, description="Assignment history (staff only)")


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
