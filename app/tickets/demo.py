"""Demo data for tickets: teams with service areas, a SAPS desk, staff, SLA
policies and a few reports, so routing is visible at once (idempotent)."""

from __future__ import annotations

from typing import Any

from app.identity import service as identity
from app.identity.demo import DEMO_CODE
from app.setup import repository as setup
from app.tickets import repository, service
from app.vocab import Conn

NORTH = (18.80, -33.93, 18.92, -33.88)   # lon/lat boxes around the demo town
SOUTH = (18.80, -33.98, 18.92, -33.93)

# name, categories, service area, is_default, is_saps, staff (email or None = demo user)
TEAMS: list[tuple[str, list[str], tuple[float, float, float, float] | None, bool, bool,
                  list[str]]] = [
    ("Water & Sanitation North", ["water", "sanitation"], NORTH, False, False,
     ["worker@demo.salga.example", "north.crew@demo.salga.example"]),
    ("Water & Sanitation South", ["water", "sanitation"], SOUTH, False, False,
     ["south.crew@demo.salga.example"]),
    ("Water Standby", ["water", "sanitation"], None, True, False,
     ["standby.crew@demo.salga.example"]),
    ("Roads & Stormwater", ["roads"], None, True, False, ["roads.crew@demo.salga.example"]),
    ("Electricity", ["electricity"], None, True, False, ["power.crew@demo.salga.example"]),
    ("Waste Management", ["waste", "other"], None, True, False,
     ["waste.crew@demo.salga.example"]),
    ("SAPS Liaison Desk", ["gbv"], None, True, True,
     ["saps@demo.salga.example", "saps.backup@demo.salga.example"]),
]
# Takes a child case the first liaison has not acknowledged within 15 minutes.
BACKUP_LIAISONS = {"saps.backup@demo.salga.example"}

SLA_HOURS = {"water": (8, 48), "sanitation": (12, 72), "electricity": (4, 24),
             "roads": (48, 240), "waste": (24, 72), "other": (48, 168), "gbv": (1, 24)}

REPORTS: list[dict[str, Any]] = [
    {"category": "water", "description": "Burst pipe flooding Church Street",
     "latitude": -33.90, "longitude": 18.86},
    {"category": "sanitation", "description": "Blocked sewer outside the clinic",
     "latitude": -33.95, "longitude": 18.85},
    {"category": "roads", "description": "Deep pothole at the taxi rank", "address": "Taxi rank"},
    {"category": "electricity", "description": "Street lights out on Dorp Street",
     "latitude": -33.94, "longitude": 18.87},
    {"category": "gbv", "description": "A neighbour needs help urgently", "is_sensitive": True,
     "latitude": -33.91, "longitude": 18.86},
]


async def seed(conn: Conn) -> list[str]:
    municipality = await identity.add_municipality(
        conn, code=DEMO_CODE, name="Demo Local Municipality", province="WC")
    tenant_id = municipality["id"]
    manager = await identity.add_user(conn, email="manager@demo.salga.example", role="manager",
                                      municipality_code=DEMO_CODE, full_name="Pieter Manager")
    lines = []
    for name, categories, area, is_default, is_saps, staff in TEAMS:
        team_id = await setup.upsert_team(
            conn, tenant_id=tenant_id, name=name, categories=categories, area=area,
            is_default=is_default, is_saps=is_saps, manager_id=None if is_saps else manager)
        for email in staff:
            role = "saps_liaison" if is_saps else "field_worker"
            user_id = await identity.add_user(
                conn, email=email, role=role, municipality_code=DEMO_CODE,
                full_name=None if email.split("@")[0] in ("worker", "saps") else
                email.split("@")[0].replace(".", " ").title())
            await setup.add_team_member(conn, team_id=team_id, user_id=user_id,
                                        tenant_id=tenant_id,
                                        is_backup=email in BACKUP_LIAISONS)
        lines.append(f"team {name} ({', '.join(categories)}): {len(staff)} staff")
    for category, (respond, resolve) in SLA_HOURS.items():
        await setup.upsert_sla_policy(conn, tenant_id=tenant_id, category=category,
                                           response_hours=respond, resolution_hours=resolve)
    lines.append("SLA policies: " + ", ".join(f"{c} {r}h/{s}h"
                                              for c, (r, s) in SLA_HOURS.items()))
    citizen = await identity.add_user(conn, email="citizen@demo.salga.example", role="citizen",
                                      municipality_code=DEMO_CODE, full_name="Nomsa Citizen")
    if not await repository.tickets_of_reporter(conn, citizen):
        for report in REPORTS:
            await service.file_report(conn, tenant_id=tenant_id, reporter_id=citizen, **report)
    for ticket in await repository.tickets_of_reporter(conn, citizen):
        lines.append(f"ticket {ticket['tracking_number']} {ticket['category']:<11} -> "
                     f"{ticket['team_name'] or 'unassigned'}")
    return lines
