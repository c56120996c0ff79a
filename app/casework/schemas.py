"""Bodies of the casework API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

ContactPreference = Literal["do_not_contact", "reporter_initiates", "whatsapp", "phone"]
Referral = Literal["not_referred", "referred", "accepted", "declined", "closed"]


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


class CaseworkChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_preference: ContactPreference | None = None
    cas_number: str | None = Field(default=None, pattern=r"^CAS [0-9]{1,6}/[0-9]{1,2}/[0-9]{4}$",
                                   description='SAPS case number, e.g. "CAS 123/11/2026"')
    referral_status: Referral | None = None
    acknowledge: bool = False
