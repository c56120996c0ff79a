"""Importing a municipality's places and matching typed addresses against them.

Import takes a GeoJSON FeatureCollection (the API and `salga places import`)
or a CSV with `name,kind,latitude,longitude` columns (the CLI); every feature
is checked before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

import psycopg

from app.auth import Caller
from app.errors import Forbidden, Invalid
from app.places import repository
from app.vocab import Conn, Row

KINDS = ("suburb", "ward", "street", "landmark", "settlement")
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


def features_from_csv(text: str) -> list[dict[str, Any]]:
    """GeoJSON point features from CSV rows `name,kind,latitude,longitude`."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "latitude", "longitude"} - set(reader.fieldnames or [])
    if missing:
        raise Invalid(f"the CSV needs the columns {', '.join(sorted(missing))}")
    features = []
    for line, row in enumerate(reader, start=2):
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (TypeError, ValueError) as exc:
            raise Invalid(f"line {line}: latitude and longitude must be numbers") from exc
        features.append({"type": "Feature",
                         "properties": {"name": row["name"], "kind": row.get("kind") or "suburb"},
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    return features


def checked(index: int, feature: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(name, kind, geometry) of one feature, or a 422 naming it."""
    where = f"features[{index}]"
    props = feature.get("properties") or {}
    name = str(props.get("name") or "").strip()
    kind = str(props.get("kind") or "suburb").strip().lower()
    geometry = feature.get("geometry") or {}
    if not 2 <= len(name) <= 200 or "\x00" in name:
        raise Invalid(f"{where}.properties.name must be 2 to 200 characters")
    if kind not in KINDS:
        raise Invalid(f"{where}.properties.kind must be one of {', '.join(KINDS)}")
    if geometry.get("type") not in GEOMETRIES:
        raise Invalid(f"{where}.geometry must be a GeoJSON {', '.join(GEOMETRIES)}")
    return name, kind, geometry


async def import_places(conn: Conn, *, tenant_id: UUID, features: list[dict[str, Any]]) -> int:
    """Add or replace every feature's place; all or nothing."""
    places = [checked(i, f) for i, f in enumerate(features)]
    for index, (_, _, geometry) in enumerate(places):
        problem = await geometry_problem(conn, geometry)
        if problem:
            raise Invalid(f"features[{index}].{problem}")
    for name, kind, geometry in places:
        await repository.upsert_place(conn, tenant_id=tenant_id, name=name, kind=kind,
                                      geometry=geometry)
    return len(places)


async def import_for(conn: Conn, *, caller: Caller, features: list[dict[str, Any]]) -> int:
    if caller.role not in ("manager", "admin"):
        raise Forbidden("only managers and admins import places")
    return await import_places(conn, tenant_id=caller.municipality(), features=features)


async def match_for(conn: Conn, *, caller: Caller, text: str) -> Row | None:
    if not caller.is_staff:
        raise Forbidden("places are for municipal staff")
    return await repository.match(conn, tenant_id=caller.municipality(), text=text)


async def match(conn: Conn, *, tenant_id: UUID, text: str) -> Row | None:
    """The place a typed address names (the WhatsApp conversation, as the service role)."""
    return await repository.match(conn, tenant_id=tenant_id, text=text)


async def geometry_problem(conn: Conn, geometry: dict[str, Any],
                           kinds: tuple[str, ...] | None = None) -> str | None:
    """Why this GeoJSON cannot be stored (checked by PostGIS inside a savepoint, so a
    broken document leaves the transaction usable), or None when it can."""
    try:
        async with conn.transaction():
            return await repository.geometry_problem(conn, geometry, kinds)
    except psycopg.Error:
        return "geometry is not readable GeoJSON"
