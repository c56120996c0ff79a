"""Places as the API takes and shows them."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["suburb", "ward", "street", "landmark", "settlement"]


class NewPlace(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200)
    kind: Kind = "suburb"
    geometry: dict[str, Any] = Field(description="GeoJSON geometry (Point, LineString, Polygon, "
                                                 "or their Multi- forms), WGS84")


class PlaceImport(BaseModel):
    """A GeoJSON FeatureCollection; each feature's properties name it (`name`, `kind`)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]] = Field(min_length=1, max_length=20000)


class ImportResult(BaseModel):
    imported: int


class Match(BaseModel):
    place_id: UUID
    name: str
    kind: Kind
    latitude: float
    longitude: float
    score: float
