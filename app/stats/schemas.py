"""The statistics body."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class TeamCount(BaseModel):
    team: str
    count: int


class Attainment(BaseModel):
    resolved: int
    within_sla: int
    attainment: float | None


class TeamAttainment(Attainment):
    team: str


class CategoryAttainment(Attainment):
    category: str


class Day(BaseModel):
    day: str
    created: int
    resolved: int


class Stats(BaseModel):
    from_: datetime = Field(validation_alias="from", serialization_alias="from")
    to: datetime
    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    by_team: list[TeamCount]
    overdue_now: int
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    sla_attainment_by_team: list[TeamAttainment]
    sla_attainment_by_category: list[CategoryAttainment]
    trend: list[Day]
