"""Request and response models of the message library API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from app.vocab import Language

TemplateStatus = Literal["draft", "approved", "retired"]
KEY_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"


class DraftIn(BaseModel):
    key: str = Field(pattern=KEY_PATTERN, description="The message key, e.g. `filed`")
    language: Language
    body: str = Field(min_length=1, max_length=4000,
                      description="The text; variables as {name}, from the key's list only")
    note: str | None = Field(default=None, max_length=1000)


class ApproveIn(BaseModel):
    note: str | None = Field(default=None, max_length=1000, description="Why it is approved")


class PreviewIn(BaseModel):
    body: str = Field(min_length=1, max_length=4000)
    values: dict[str, str] = Field(default_factory=dict)


class PreviewOut(BaseModel):
    text: str


class TemplateOut(BaseModel):
    id: UUID
    tenant_id: UUID | None = Field(description="NULL: the platform default")
    key: str
    language: Language
    version: int
    body: str
    status: TemplateStatus
    note: str | None
    approved_by: UUID | None
    approved_at: datetime | None
    approval_note: str | None
    retired_at: datetime | None
    previous_version_id: UUID | None
    created_by: UUID | None
    created_at: datetime


class KeyOut(BaseModel):
    key: str
    kind: str
    variables: list[str]


class LanguageOut(BaseModel):
    code: str
    name: str = Field(description="The language's name in itself, e.g. isiXhosa")


class LibraryOut(BaseModel):
    keys: list[KeyOut]
    templates: list[TemplateOut]
    languages: list[LanguageOut] = Field(description="The languages offered, in menu order")
