"""Request and response models of the POPIA API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.vocab import Language

Purpose = Literal["privacy_notice", "progress_updates", "saps_referral", "other_messages"]
RequestKind = Literal["access", "correction", "deletion", "objection"]
Outcome = Literal["provided", "corrected", "deleted", "refused", "note_attached", "restricted"]
RequestStatus = Literal["open", "extended", "completed"]


class NoticeOut(BaseModel):
    id: UUID
    version: int
    language: Language
    municipality: str
    municipality_code: str
    body: str


class ConsentIn(BaseModel):
    purpose: Purpose
    notice_version: int = Field(ge=1, description="The version of the notice the person saw")
    language: Language = "en"


class ConsentOut(BaseModel):
    id: UUID
    purpose: str
    purpose_description: str
    consented: bool
    language: Language
    consent_version: str
    notice_template_id: UUID | None
    created_at: datetime
    withdrawn_at: datetime | None


class DataRequestIn(BaseModel):
    kind: RequestKind
    details: str | None = Field(default=None, max_length=2000)


class DataRequestOut(BaseModel):
    id: UUID
    reference: str
    user_id: UUID | None
    kind: RequestKind
    details: str | None
    channel: str
    status: RequestStatus
    received_at: datetime
    due_at: datetime
    overdue: bool
    extended_at: datetime | None
    extension_reason: str | None
    escalated_at: datetime | None
    requester_verified_at: datetime | None
    completed_at: datetime | None
    outcome: Outcome | None
    outcome_reason: str | None


class ExtendIn(BaseModel):
    reason: str = Field(min_length=5, max_length=1000)


class CompleteIn(BaseModel):
    outcome: Outcome
    reason: str | None = Field(default=None, max_length=2000)


class BreachIn(BaseModel):
    discovered_at: datetime
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    status: Literal["suspected", "confirmed", "closed"] = "suspected"
    breach_type: Literal["confidentiality", "integrity", "availability"]
    description: str = Field(min_length=5, max_length=4000)
    data_categories: list[str] = Field(default_factory=list, max_length=30)
    people_affected: int | None = Field(default=None, ge=0)
    regulator_notified_at: datetime | None = None
    subjects_notified_at: datetime | None = None
    notification_method: str | None = Field(default=None, max_length=500)
    consequences: str | None = Field(default=None, max_length=4000)
    remedies: str | None = Field(default=None, max_length=4000)


class OperatorIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    service: str = Field(min_length=2, max_length=500)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 country code")
    cross_border: bool = False
    safeguard: str | None = Field(default=None, max_length=1000)
    data_categories: list[str] = Field(default_factory=list, max_length=30)
    agreement_signed_on: date | None = None
    review_due_on: date | None = None


Record = dict[str, Any]
