"""Municipality set-up rules on the Python side. Who may do what is decided by RLS
(admins: every team and policy; managers: ordinary teams and policies); this
module checks what SQL cannot phrase as a clear message and maps "nothing
changed" to 404 so a hidden team looks like a missing one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.auth import Caller
from app.errors import Forbidden, Invalid, NotFound
from app.places import service as places
from app.setup import repository
from app.setup.schemas import NewTeam, ServiceArea, SlaPolicy, TeamChange
from app.vocab import Conn, Row

SETUP_ROLES = frozenset({"manager", "admin"})


def _require_setup_role(caller: Caller) -> None:
    if caller.role not in SETUP_ROLES:
        raise Forbidden("only managers and admins set up their municipality")


async def list_teams(conn: Conn, *, caller: Caller) -> list[Row]:
    if not caller.is_staff:
        raise Forbidden("teams are for municipal staff")
    return await repository.teams(conn, tenant_id=caller.municipality())


async def get_team(conn: Conn, *, caller: Caller, team_id: UUID) -> Row:
    row = await repository.team(conn, team_id=team_id, tenant_id=caller.municipality())
    if row is None:
        raise NotFound("no such team")
    return row


async def create_team(conn: Conn, *, caller: Caller, team: NewTeam) -> Row:
    _require_setup_role(caller)
    if team.is_saps and caller.role != "admin":
        raise Forbidden("only admins create SAPS teams")
    if team.manager_id is not None:
        await _require_staff(conn, caller, [team.manager_id], field="manager_id")
    team_id = await repository.insert_team(
        conn, tenant_id=caller.municipality(), name=team.name, categories=list(team.categories),
        is_saps=team.is_saps, is_default=team.is_default, manager_id=team.manager_id)
    return await get_team(conn, caller=caller, team_id=team_id)


async def change_team(conn: Conn, *, caller: Caller, team_id: UUID, change: TeamChange) -> Row:
    _require_setup_role(caller)
    fields: dict[str, Any] = change.model_dump(exclude_unset=True)
    if not fields:
        raise Invalid("nothing to change")
    if "categories" in fields:
        fields["categories"] = list(fields["categories"])
    if fields.get("manager_id") is not None:
        await _require_staff(conn, caller, [fields["manager_id"]], field="manager_id")
    await get_team(conn, caller=caller, team_id=team_id)
    if await repository.update_team(conn, team_id=team_id, fields=fields) == 0:
        raise Forbidden("you may not change this team")
    return await get_team(conn, caller=caller, team_id=team_id)


async def set_members(conn: Conn, *, caller: Caller, team_id: UUID,
                      user_ids: list[UUID]) -> Row:
    _require_setup_role(caller)
    team = await get_team(conn, caller=caller, team_id=team_id)
    if team["is_saps"] and caller.role != "admin":
        raise Forbidden("only admins staff a SAPS team")
    unique = list(dict.fromkeys(user_ids))
    await _require_staff(conn, caller, unique, field="user_ids")
    await repository.replace_members(conn, team_id=team_id, tenant_id=caller.municipality(),
                                     user_ids=unique)
    return await get_team(conn, caller=caller, team_id=team_id)


async def set_service_area(conn: Conn, *, caller: Caller, team_id: UUID,
                           area: ServiceArea | None) -> Row:
    _require_setup_role(caller)
    await get_team(conn, caller=caller, team_id=team_id)
    geometry = None
    if area is not None:
        try:
            geometry = area.geometry_json()
        except ValueError as exc:
            raise Invalid(f"service_area: {exc}") from exc
        problem = await places.geometry_problem(conn, geometry, ("POLYGON", "MULTIPOLYGON"))
        if problem:
            raise Invalid(f"service_area: {problem}")
    if await repository.set_service_area(conn, team_id=team_id, geojson=geometry) == 0:
        raise Forbidden("you may not change this team")
    return await get_team(conn, caller=caller, team_id=team_id)


async def _require_staff(conn: Conn, caller: Caller, user_ids: list[UUID], *,
                         field: str) -> None:
    found = await repository.staff_in_municipality(
        conn, tenant_id=caller.municipality(), user_ids=user_ids)
    if found != len(user_ids):
        raise Invalid(f"{field}: every person must be staff of your municipality")


async def list_sla_policies(conn: Conn, *, caller: Caller) -> list[Row]:
    if not caller.is_staff:
        raise Forbidden("SLA policies are for municipal staff")
    return await repository.sla_policies(conn, tenant_id=caller.municipality())


async def put_sla_policies(conn: Conn, *, caller: Caller,
                           policies: list[SlaPolicy]) -> list[Row]:
    _require_setup_role(caller)
    for policy in policies:
        if policy.resolution_hours < policy.response_hours:
            raise Invalid(f"{policy.category}: resolution_hours must be at least "
                          "response_hours")
        await repository.upsert_sla_policy(
            conn, tenant_id=caller.municipality(), category=policy.category,
            priority=policy.priority, response_hours=policy.response_hours,
            resolution_hours=policy.resolution_hours)
    return await repository.sla_policies(conn, tenant_id=caller.municipality())
