"""SQL for places (as the caller through RLS, or the service role for the webhook)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from app.vocab import Conn, Row


async def upsert_place(conn: Conn, *, tenant_id: UUID, name: str, kind: str,
                       geometry: dict[str, Any]) -> None:
    await conn.execute(
        """
        insert into public.places (tenant_id, name, kind, geom)
        values (%(tenant)s, %(name)s, %(kind)s, extensions.st_setsrid(
                  extensions.st_geomfromgeojson(%(geom)s), 4326)::extensions.geography)
        on conflict (tenant_id, kind, name) do update set geom = excluded.geom
        """, {"tenant": tenant_id, "name": name, "kind": kind, "geom": json.dumps(geometry)})


async def geometry_problem(conn: Conn, geometry: dict[str, Any],
                           kinds: tuple[str, ...] | None = None) -> str | None:
    """Why this GeoJSON geometry cannot be stored (not one of `kinds`, or not a valid
    shape), or None when it can. Unreadable GeoJSON raises psycopg.Error."""
    cur = await conn.execute(
        "select extensions.geometrytype(g) as kind, extensions.st_isvalid(g) as valid,"
        " extensions.st_isvalidreason(g) as reason"
        " from extensions.st_geomfromgeojson(%s) as g", (json.dumps(geometry),))
    row = await cur.fetchone()
    if row is None:
        return "geometry is not readable GeoJSON"
    if kinds is not None and row["kind"] not in kinds:
        return f"geometry must be a GeoJSON {' or '.join(k.title() for k in kinds)}"
    return None if row["valid"] else f"geometry is not a valid shape: {row['reason']}"


async def match(conn: Conn, *, tenant_id: UUID, text: str) -> Row | None:
    cur = await conn.execute("select * from public.match_place(%s, %s)", (tenant_id, text))
    return await cur.fetchone()
