"""`salga team add|members|area` and `salga sla set`: the set-up page's steps from a shell,
with the same checks and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from tests.support.tenants import Tenant, create_tenant
from tests.test_cli import salga

AREA = {"type": "Polygon", "coordinates": [[[18.40, -33.94], [18.44, -33.94], [18.44, -33.90],
                                            [18.40, -33.94]]]}


@pytest.fixture
async def town(database_url: str, settings: Settings) -> Tenant:
    return await create_tenant(database_url, settings.supabase_jwt_secret)


async def test_a_team_is_set_up_from_the_shell(
    api: httpx.AsyncClient, database_url: str, town: Tenant, tmp_path: Path
) -> None:
    made = salga(database_url, "team", "add", "--municipality", town.code.lower(), "--name",
                 "Sewer crew", "--categories", "sanitation, water", "--default")
    assert made.returncode == 0, made.stderr
    members = salga(database_url, "team", "members", "--municipality", town.code, "--team",
                    "sewer crew", "--email", town.emails["field_worker"],
                    "--email", town.emails["manager"].upper())
    assert members.returncode == 0, members.stderr
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps(AREA))
    placed = salga(database_url, "team", "area", "--municipality", town.code, "--team",
                   "Sewer crew", "--file", str(area))
    assert placed.returncode == 0, placed.stderr
    sla = salga(database_url, "sla", "set", "--municipality", town.code, "--category",
                "sanitation", "--response", "4", "--resolution", "36", "--priority", "urgent")
    assert sla.returncode == 0 and "36 h" in sla.stdout, sla.stderr

    (team,) = [t for t in (await api.get("/api/v1/teams", headers=town.auth("admin"))).json()
               if t["name"] == "Sewer crew"]
    assert team["id"] == made.stdout.strip()
    assert team["categories"] == ["sanitation", "water"] and team["is_default"]
    assert team["has_service_area"]
    assert {m["id"] for m in team["members"]} == {str(town.users["field_worker"]),
                                                  str(town.users["manager"])}
    policies = (await api.get("/api/v1/sla-policies", headers=town.auth("admin"))).json()
    assert [(p["priority"], p["response_hours"], p["resolution_hours"]) for p in policies
            if p["category"] == "sanitation"] == [("urgent", 4, 36)]


async def test_set_up_mistakes_are_one_line_errors(database_url: str, town: Tenant,
                                                   tmp_path: Path) -> None:
    line = tmp_path / "line.geojson"
    line.write_text(json.dumps({"type": "LineString", "coordinates": [[18.4, -33.9]]}))
    cases = [
        ("team", "add", "--municipality", "NOPE", "--name", "X team", "--categories", "water"),
        ("team", "members", "--municipality", town.code, "--team", "X",
         "--email", town.emails["citizen"]),
        ("team", "area", "--municipality", town.code, "--team", "X", "--file", str(line)),
    ]
    for args in cases:
        result = salga(database_url, *args)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
