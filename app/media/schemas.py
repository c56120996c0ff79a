from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field, model_validator


class UploadRequest(BaseModel):
    purpose: Literal["evidence", "proof_of_residence"]
    ticket_id: UUID | None = None
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=3, max_length=100)
    size: int = Field(gt=0)

    @model_validator(mode="after")
    def evidence_needs_ticket(self) -> UploadRequest:
        if self.purpose == "evidence" and self.ticket_id is None:
            raise ValueError("evidence needs the ticket_id it belongs to")
        return self


class UploadTicket(BaseModel):
    bucket: str
    path: str
    file_id: str
    signed_url: str
    token: str


class MediaUrl(BaseModel):
    id: UUID
    url: str
    expires_in: int
