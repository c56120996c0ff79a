"""Invariants of the core schema that hold for every writer, the owner included."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.db import act_as
from tests.support.tenants import Tenant


async def new_team(db: AsyncConnection[Any], tenant: Tenant, *, is_saps: bool) -> UUID:
    cur = await db.execute(
        "insert into public.teams (tenant_id, name, categories, is_saps)"
        " values (%s, %s, %s, %s) returning id",
        (tenant.id, f"team {is_saps} {id(db)}", ["gbv"] if is_saps else ["water"], is_saps))
    row = await cur.fetchone()
    assert row is not None
    return UUID(str(row["id"]))


async def new_ticket(db: AsyncConnection[Any], tenant: Tenant, **values: Any) -> dict[str, Any]:
    fields = {"tenant_id": tenant.id, "reporter_id": tenant.users["citizen"],
              "category": "water", "description": "Burst pipe on Main Road", **values}
    columns = ", ".join(fields)
    placeholders = ", ".join(["%s"] * len(fields))
    cur = await db.execute(
        f"insert into public.tickets ({columns}) values ({placeholders}) returning *",
        tuple(fields.values()))
    row = await cur.fetchone()
    assert row is not None
    return row


async def test_tracking_numbers_count_up_per_municipality(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    first = await new_ticket(db, tenant)
    second = await new_ticket(db, tenant)
    pattern = rf"^{tenant.code}-\d{{4}}-(\d{{6}})$"
    first_match = re.match(pattern, first["tracking_number"])
    second_match = re.match(pattern, second["tracking_number"])
    assert first_match and second_match
    assert int(second_match.group(1)) == int(first_match.group(1)) + 1


async def test_gbv_reports_are_always_sensitive(db: AsyncConnection[Any], tenant: Tenant) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        await new_ticket(db, tenant, category="gbv", is_sensitive=False)


async def test_sensitive_text_exists_only_as_ciphertext(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        await new_ticket(db, tenant, category="gbv", is_sensitive=True,
                         description="plain words", encrypted_description="gAAAA...")


async def test_sensitive_tickets_go_only_to_saps_teams(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    water_team = await new_team(db, tenant, is_saps=False)
    saps_team = await new_team(db, tenant, is_saps=True)
    ticket = await new_ticket(db, tenant, category="gbv", is_sensitive=True, description=None,
                              encrypted_description="gAAAA-ciphertext")
    await db.execute("update public.tickets set assigned_team_id = %s where id = %s",
                     (saps_team, ticket["id"]))
    await db.execute("savepoint s")
    with pytest.raises(psycopg.Error) as caught:
        await db.execute("update public.tickets set assigned_team_id = %s where id = %s",
                         (water_team, ticket["id"]))
    assert caught.value.sqlstate == "SA422"
    await db.execute("rollback to savepoint s")


async def test_ordinary_tickets_never_go_to_saps(db: AsyncConnection[Any], tenant: Tenant) -> None:
    saps_team = await new_team(db, tenant, is_saps=True)
    with pytest.raises(psycopg.Error) as caught:
        await new_ticket(db, tenant, assigned_team_id=saps_team)
    assert caught.value.sqlstate == "SA422"


async def test_a_sensitive_report_cannot_be_declassified(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    ticket = await new_ticket(db, tenant, category="other", is_sensitive=True, description=None,
                              encrypted_description="gAAAA-ciphertext")
    with pytest.raises(psycopg.Error) as caught:
        await db.execute("update public.tickets set is_sensitive = false where id = %s",
                         (ticket["id"],))
    assert caught.value.sqlstate == "SA422"


async def test_teams_of_another_municipality_cannot_be_assigned(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign_team = await new_team(db, other_tenant, is_saps=False)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        await new_ticket(db, tenant, assigned_team_id=foreign_team)


async def test_authorship_cannot_be_forged(db: AsyncConnection[Any], tenant: Tenant) -> None:
    forged = "00000000-0000-4000-8000-000000000000"
    await act_as(db, tenant.claims["citizen"])
    await db.execute("savepoint s")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await new_ticket(db, tenant, created_by=forged)
    await db.execute("rollback to savepoint s")
    ticket = await new_ticket(db, tenant)
    assert ticket["created_by"] == ticket["updated_by"] == tenant.users["citizen"]
    await act_as(db, None)
    cur = await db.execute(
        "update public.tickets set created_at = '2000-01-01', created_by = %s where id = %s"
        " returning created_at, created_by", (forged, ticket["id"]))
    row = await cur.fetchone()
    assert row is not None
    assert row["created_at"] == ticket["created_at"]
    assert row["created_by"] == tenant.users["citizen"]


@pytest.mark.parametrize("column", ["priority", "status", "assigned_to", "sla_resolution_deadline"])
async def test_citizens_cannot_set_the_municipalitys_fields_when_filing(
    db: AsyncConnection[Any], tenant: Tenant, column: str
) -> None:
    values = {"priority": "urgent", "status": "open", "assigned_to": tenant.users["manager"],
              "sla_resolution_deadline": "2099-01-01"}
    await act_as(db, tenant.claims["citizen"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await new_ticket(db, tenant, **{column: values[column]})
