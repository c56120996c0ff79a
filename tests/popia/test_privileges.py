"""What API users cannot do with the POPIA machinery, tried as each role: truncate the new
tables, read the audit keys, run erasure or retention, reveal sealed values, or ask the
export and erasure functions about people of whom they are not the admin."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.db import ANON_CLAIMS, SERVICE_CLAIMS, act_as
from tests.support.tenants import ROLES, Tenant

TABLES = ("message_template_keys", "message_templates", "data_subject_requests",
          "breach_register", "operators_register", "retention_policies")
FORBIDDEN_CALLS = (
    "select * from private.personal_keys",
    "select * from private.storage_removals",
    "select private.erase_person(%(someone)s)",
    "select * from private.apply_retention(true)",
    "select private.reveal_personal('pii:1:AAAA')",
    "select private.escalate_overdue_data_requests()",
    "select * from private.storage_removals_due(1)",
    "select * from private.library_generations",
    "truncate private.library_generations",
    "update private.library_generations set generation = gen_random_uuid()",
    "select private.library_generation(null)",
    "select private.seal_for_person(%(someone)s, 'words')",
)


async def refused(db: AsyncConnection[Any], query: str, params: Any = None) -> bool:
    await db.execute("savepoint try")
    try:
        await db.execute(query, params)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException) as exc:
        await db.execute("rollback to savepoint try")
        return bool(exc)
    except psycopg.Error as exc:
        await db.execute("rollback to savepoint try")
        return bool(exc.sqlstate and exc.sqlstate.startswith("SA"))
    await db.execute("rollback to savepoint try")
    return False


@pytest.mark.parametrize("actor", [*ROLES, "anon"])
async def test_api_users_cannot_truncate_or_reach_the_machinery(
    db: AsyncConnection[Any], tenant: Tenant, actor: str
) -> None:
    claims = ANON_CLAIMS if actor == "anon" else tenant.claims[actor]
    await act_as(db, claims)
    for table in TABLES:
        assert await refused(db, f"truncate public.{table}"), (actor, table)
    for query in FORBIDDEN_CALLS:
        assert await refused(db, query, {"someone": tenant.users["citizen"]}), (actor, query)


async def test_export_and_erasure_answer_only_for_oneself_or_ones_admin(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    citizen = tenant.users["citizen"]
    for claims in (tenant.claims["manager"], tenant.claims["saps_liaison"],
                   other_tenant.claims["admin"], other_tenant.claims["citizen"]):
        await act_as(db, claims)
        assert await refused(db, "select public.data_subject_bundle(%s)", (citizen,))
        assert await refused(db, "select public.erase_person(%s)", (citizen,))
    await act_as(db, tenant.claims["citizen"])
    assert await refused(db, "select public.erase_person(%s)", (citizen,))
    cur = await db.execute("select public.data_subject_bundle() as b")
    row = await cur.fetchone()
    assert row is not None and row["b"]["profile"]["id"] == str(citizen)
    await act_as(db, tenant.claims["admin"])
    assert await refused(db, "select public.erase_person(%s)", (tenant.users["manager"],))


async def test_the_service_role_reads_the_library_generation_only_through_its_function(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    """The webhook asks whether the library changed; it never writes the token itself."""
    await act_as(db, SERVICE_CLAIMS)
    for query in ("select * from private.library_generations",
                  "truncate private.library_generations",
                  "delete from private.library_generations"):
        assert await refused(db, query), query
    cur = await db.execute("select private.library_generation(%s) as g", (tenant.id,))
    row = await cur.fetchone()
    assert row is not None and row["g"].count(".") == 1
