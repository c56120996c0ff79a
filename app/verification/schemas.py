from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class SubmitVerification(BaseModel):
    document_id: UUID


class Decision(BaseModel):
    decision: Literal["verified", "rejected"]
    note: str | None = Field(default=None, max_length=500)


class Verification(BaseModel):
    user_id: UUID
    full_name: str | None = None
    verification_status: str | None
    verified_address: str | None = None
    verification_document_id: UUID | None = None
    verified_at: datetime | None = None
    verification_reasons: list[str] = []
