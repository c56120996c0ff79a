"""Bodies of the casework API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

ContactPreference = Literal["do_not_contact", "reporter_initiates", "whatsapp", "phone"]
Referral = Literal["not_referred", "referred", "accepted", "declined", "closed"]
CAS_NUMBER = r"^CAS [0-9]{1,6}/[0-9]{1,2}/[0-9]{4}$"


class Casework(BaseModel):
    ticket_id: UUID
    tracking_number: str
    status: str
    created_at: datetime
    sla_response_deadline: datetime | None
    sla_status: str
    channel: str = Field(description="How the person reached us")
    contact_preference: ContactPreference
    cas_number: str | None
    referral_status: Referral
    acknowledged_at: datetime | None
    acknowledged_by: UUID | None
    acknowledged_by_name: str | None
    child_involved: bool = Field(description="A child is involved or at risk: always referred")
    child_flagged_at: datetime | None
    acknowledge_by: datetime | None = Field(
        description="A child case must be acknowledged by then (15 minutes, day and night)")
    child_escalated_at: datetime | None = Field(
        description="When the missed deadline went to the backup liaison and the admins")


class CaseworkChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_preference: ContactPreference | None = None
    cas_number: str | None = Field(default=None, pattern=CAS_NUMBER,
                                   description='SAPS case number, e.g. "CAS 123/11/2026"')
    referral_status: Referral | None = None
    child_involved: bool | None = Field(
        default=None, description="Flag a child case (true); a flag is never lowered")
    acknowledge: bool = False


# The Department of Social Development referral (Children's Act s110, Form 22).
ReporterType = Literal["member_of_public", "child", "family_member", "professional", "anonymous"]
Gender = Literal["female", "male", "other", "unknown"]
AbuseNature = Literal["physical_abuse", "sexual_abuse", "emotional_abuse", "neglect",
                      "abandonment", "exploitation", "other"]
ReferralStatus = Literal["pending", "referred"]


class ChildReferral(BaseModel):
    id: UUID
    ticket_id: UUID
    tracking_number: str
    status: ReferralStatus
    reporter_type: ReporterType
    child_name: str | None
    child_age: int | None
    child_gender: Gender | None
    abuse_nature: list[AbuseNature]
    incident_place: str | None
    incident_when: str | None
    offender_relationship: str | None
    action_taken: str | None
    referral_date: date | None
    case_number: str | None
    referred_at: datetime | None
    referred_by: UUID | None
    created_at: datetime


class ChildReferralChange(BaseModel):
    """What a liaison records; `status: referred` once it has gone to the department."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: ReferralStatus | None = None
    reporter_type: ReporterType | None = None
    child_name: str | None = Field(default=None, min_length=1, max_length=200,
                                   description="As far as known")
    child_age: int | None = Field(default=None, ge=0, le=17)
    child_gender: Gender | None = None
    abuse_nature: list[AbuseNature] | None = Field(default=None, max_length=7)
    incident_place: str | None = Field(default=None, max_length=500)
    incident_when: str | None = Field(default=None, max_length=200)
    offender_relationship: str | None = Field(
        default=None, max_length=200, description="The alleged offender's relation to the child")
    action_taken: str | None = Field(default=None, max_length=2000)
    referral_date: date | None = None
    case_number: str | None = Field(default=None, pattern=CAS_NUMBER)
