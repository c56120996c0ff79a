"""Bodies of the notes API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class NewNote(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    body: str = Field(min_length=1, max_length=4000)


class Note(BaseModel):
    id: UUID
    body: str | None = Field(description="Decrypted for SAPS liaisons and admins on protected "
                                         "reports; null when it cannot be read")
    is_sensitive: bool
    author_id: UUID | None
    author_name: str | None
    author_role: str | None
    created_at: datetime
