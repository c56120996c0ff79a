"""Bodies of the citizen page's API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.vocab import Category, Status


class StatusChange(BaseModel):
    status: Status
    at: datetime


class Tracked(BaseModel):
    """What anyone holding the number learns: no text, no place, nobody."""

    tracking_number: str
    status: Status
    category: Category
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    history: list[StatusChange] = Field(description="Each status change, oldest first")


class PageConfig(BaseModel):
    supabaseUrl: str
    supabaseAnonKey: str
    apiBase: str
    municipality: str
    tileUrl: str
    tileAttribution: str
    quickExitUrl: str
