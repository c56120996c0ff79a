"""`salga team ...` and `salga sla set`: the set-up screens' steps for operators and scripts.

They run as the database owner (the operator's own access, like `salga municipality add`)
through the same services as the API, acting as the municipality's administrator, so the
same checks (valid GeoJSON, staff of the same municipality, resolution after response)
give the same messages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.auth import Caller
from app.config import get_settings
from app.errors import Invalid, NotFound
from app.identity import repository as identity
from app.setup import service
from app.setup.schemas import NewTeam, ServiceArea, SlaPolicy
from app.staff import repository as staff
from app.vocab import Conn, Row

OPERATOR = UUID(int=0)


async def _as_operator(conn: Conn, code: str) -> Caller:
    found = await identity.municipality_by_code(conn, code.upper())
    if found is None:
        raise NotFound(f"no municipality with code {code!r}")
    return Caller(user_id=OPERATOR, role="admin", municipality_id=found["id"], claims={})


async def _team(conn: Conn, caller: Caller, name: str) -> Row:
    for team in await service.list_teams(conn, caller=caller):
        if team["name"].lower() == name.lower():
            return team
    raise NotFound(f"no team named {name!r}")


async def _owner(work: Any) -> Any:
    conn = await AsyncConnection.connect(get_settings().database_url, row_factory=dict_row)
    async with conn, conn.transaction():
        return await work(conn)


async def add_team(*, municipality: str, name: str, categories: list[str], default: bool,
                   saps: bool) -> UUID:
    async def work(conn: Conn) -> UUID:
        caller = await _as_operator(conn, municipality)
        team = NewTeam.model_validate({"name": name, "categories": categories,
                                       "is_default": default, "is_saps": saps})
        return UUID(str((await service.create_team(conn, caller=caller, team=team))["id"]))
    result: UUID = await _owner(work)
    return result


async def set_members(*, municipality: str, team: str, emails: list[str]) -> list[str]:
    async def work(conn: Conn) -> list[str]:
        caller = await _as_operator(conn, municipality)
        found = await staff.staff_by_email(conn, tenant_id=caller.municipality(), emails=emails)
        missing = [e for e in emails if e.lower() not in found]
        if missing:
            raise Invalid(f"not staff of {municipality.upper()}: {', '.join(missing)}")
        row = await _team(conn, caller, team)
        row = await service.set_members(conn, caller=caller, team_id=row["id"],
                                        user_ids=list(found.values()))
        return [m["full_name"] or str(m["id"]) for m in row["members"]]
    result: list[str] = await _owner(work)
    return result


async def set_area(*, municipality: str, team: str, path: Path) -> bool:
    try:
        area = ServiceArea.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as exc:
        raise Invalid(f"{path.name}: not a GeoJSON Polygon, MultiPolygon or Feature") from exc

    async def work(conn: Conn) -> bool:
        caller = await _as_operator(conn, municipality)
        row = await _team(conn, caller, team)
        row = await service.set_service_area(conn, caller=caller, team_id=row["id"], area=area)
        return bool(row["has_service_area"])
    result: bool = await _owner(work)
    return result


async def set_sla(*, municipality: str, category: str, priority: str, response: float,
                  resolution: float) -> None:
    policy = SlaPolicy.model_validate({"category": category, "priority": priority,
                                       "response_hours": response,
                                       "resolution_hours": resolution})

    async def work(conn: AsyncConnection[Any]) -> None:
        caller = await _as_operator(conn, municipality)
        await service.put_sla_policies(conn, caller=caller, policies=[policy])
    await _owner(work)
