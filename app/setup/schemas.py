"""Bodies of the municipality set-up API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.vocab import Category


class Member(BaseModel):
    id: UUID
    full_name: str | None
    role: str


class Team(BaseModel):
    id: UUID
    name: str
    categories: list[Category]
    is_saps: bool
    is_default: bool
    is_active: bool
    manager_id: UUID | None
    has_service_area: bool
    service_area: dict[str, Any] | None = Field(description="GeoJSON MultiPolygon, or null")
    members: list[Member]


class NewTeam(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=120)
    categories: list[Category] = Field(min_length=1)
    is_saps: bool = False
    is_default: bool = False
    manager_id: UUID | None = None


class TeamChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=2, max_length=120)
    categories: list[Category] | None = Field(default=None, min_length=1)
    is_default: bool | None = None
    is_active: bool | None = None
    manager_id: UUID | None = None


class Members(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_ids: list[UUID] = Field(max_length=500)


class ServiceArea(BaseModel):
    """A GeoJSON Polygon or MultiPolygon (WGS84 longitude/latitude), or null to clear."""

    model_config = ConfigDict(extra="allow")

    type: Literal["Polygon", "MultiPolygon", "Feature"]
    coordinates: list[Any] | None = None
    geometry: dict[str, Any] | None = None

    @field_validator("coordinates")
    @classmethod
    def _not_empty(cls, value: list[Any] | None) -> list[Any] | None:
        if value is not None and not value:
            raise ValueError("coordinates must not be empty")
        return value

    def geometry_json(self) -> dict[str, Any]:
        if self.type == "Feature":
            geometry = self.geometry or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                raise ValueError("a Feature's geometry must be a Polygon or MultiPolygon")
            return geometry
        return {"type": self.type, "coordinates": self.coordinates}


class SlaPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Category
    priority: Literal["any", "low", "normal", "high", "urgent"] = Field(
        default="any", description="'any': the category's baseline; a priority overrides it")
    response_hours: float = Field(gt=0, le=8760)
    resolution_hours: float = Field(gt=0, le=8760)


class SlaPolicyOut(SlaPolicy):
    model_config = ConfigDict(extra="ignore")

    warning_threshold: float
    is_active: bool
    updated_at: datetime


class SlaPolicies(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policies: list[SlaPolicy] = Field(min_length=1, max_length=40)
