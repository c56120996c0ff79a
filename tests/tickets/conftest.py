"""A municipality laid out for ticket tests: teams with service areas and
categories, a SAPS team, staff in each, and an owner connection to look
behind the API (outbox, realtime.messages, clocks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import Settings
from app.identity import service as identity
from tests.support.tenants import Tenant, create_tenant

# Two neighbouring service areas (lon/lat boxes) and a point in each.
NORTH_BOX = (18.40, -33.95, 18.50, -33.85)
SOUTH_BOX = (18.40, -34.05, 18.50, -33.95)
IN_NORTH = (-33.90, 18.45)
IN_SOUTH = (-34.00, 18.45)
NOWHERE = (-25.0, 28.0)

TEAMS: list[tuple[str, list[str], tuple[float, ...] | None, bool, bool, int]] = [
    # name, categories, service area, is_default, is_saps, extra field workers
    ("Water North", ["water"], NORTH_BOX, False, False, 2),
    ("Water South", ["water", "sanitation"], SOUTH_BOX, False, False, 1),
    ("Water Standby", ["water"], None, True, False, 1),
    ("Roads", ["roads", "electricity"], None, True, False, 1),
    ("SAPS Liaison Desk", ["gbv"], None, True, True, 0),
]


@dataclass
class City:
    tenant: Tenant
    teams: dict[str, UUID] = field(default_factory=dict)
    members: dict[str, list[UUID]] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return self.tenant.auth(role)


async def build_city(url: str, secret: str, *, with_saps: bool = True) -> City:
    city = City(tenant=await create_tenant(url, secret))
    users = city.tenant.users
    async with await AsyncConnection.connect(url, row_factory=dict_row) as conn, \
            conn.transaction():
        for name, categories, box, is_default, is_saps, extra in TEAMS:
            if is_saps and not with_saps:
                continue
            cur = await conn.execute(
                """
                insert into public.teams (tenant_id, name, categories, is_default, is_saps,
                                          service_area)
                values (%s, %s, %s, %s, %s,
                        case when %s::float8[] is null then null else extensions.st_multi(
                          extensions.st_makeenvelope(%s, %s, %s, %s, 4326))::extensions.geography
                        end)
                returning id
                """,
                (city.tenant.id, name, categories, is_default, is_saps,
                 list(box) if box else None, *(box or (None, None, None, None))))
            row = await cur.fetchone()
            assert row is not None
            team_id = row["id"]
            city.teams[name] = team_id
            members = [users["saps_liaison"]] if is_saps else []
            for i in range(extra):
                members.append(await identity.add_user(
                    conn, email=f"{name.split()[-1].lower()}{i}.{city.tenant.code.lower()}"
                    f"@test.salga.example".replace(" ", ""),
                    role="field_worker", municipality_code=city.tenant.code,
                    full_name=f"{name} worker {i}"))
            if name == "Water North":
                members.insert(0, users["field_worker"])
            for member in members:
                await conn.execute(
                    "insert into public.team_members (team_id, user_id, tenant_id)"
                    " values (%s, %s, %s)", (team_id, member, city.tenant.id))
            city.members[name] = members
    return city


@pytest.fixture(scope="session")
async def city(database_url: str, settings: Settings) -> City:
    """A municipality with teams, areas, a SAPS team and staff (shared; make your own tickets)."""
    return await build_city(database_url, settings.supabase_jwt_secret)


async def file(api: httpx.AsyncClient, city: City, *, category: str = "water",
               where: tuple[float, float] | None = IN_NORTH, sensitive: bool = False,
               role: str = "citizen", description: str = "Burst pipe on the corner",
               ) -> dict[str, Any]:
    body: dict[str, Any] = {"category": category, "description": description,
                            "is_sensitive": sensitive}
    if where:
        body["latitude"], body["longitude"] = where
    else:
        body["address"] = "12 Main Road"
    response = await api.post("/api/v1/reports", json=body, headers=city.auth(role))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def fetch(conn: AsyncConnection[Any], query: str, *params: Any) -> list[dict[str, Any]]:
    cur = await conn.execute(query, params)
    return await cur.fetchall()
