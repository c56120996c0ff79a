"""Privileges, not only policies: for every table, view, sequence and function a
signed-in user (or anyone) can reach with SQL, what `anon` and `authenticated`
hold is exactly what tests/security/matrix.py lists — and every object of ours
has its row there."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.security.matrix import EXPECTED, FUNCTIONS, GRANTS
from tests.support.db import act_as, fetch_all
from tests.support.tenants import Tenant

SCHEMAS = ["public", "private", "storage", "realtime", "auth", "extensions", "graphql_public",
           "open311"]
API_ROLES = ("anon", "authenticated")
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


async def held(db: AsyncConnection[Any]) -> dict[str, dict[str, str]]:
    """relation -> role -> 'select insert(cols) ...' for relations a role holds anything on."""
    rows = await fetch_all(db, """
        select n.nspname || '.' || c.relname as rel, c.relkind, r.rolname as role,
               array(select lower(p) from unnest(%(privs)s::text[]) p
                      where has_table_privilege(r.oid, c.oid, p)) as whole,
               array(select lower(p) from unnest(array['SELECT', 'INSERT', 'UPDATE',
                                                       'REFERENCES']) p
                      where has_any_column_privilege(r.oid, c.oid, p)
                        and not has_table_privilege(r.oid, c.oid, p)) as cols
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         cross join pg_roles r
         where n.nspname = any(%(schemas)s) and c.relkind in ('r', 'p', 'v', 'm', 'f')
           and r.rolname = any(%(roles)s)
        """, {"privs": list(TABLE_PRIVILEGES), "schemas": SCHEMAS, "roles": list(API_ROLES)})
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        privs = [*row["whole"], *(f"{p}(cols)" for p in row["cols"])]
        if privs:
            found.setdefault(row["rel"], {})[row["role"]] = " ".join(privs)
    return found


async def test_every_table_and_view_grant_is_the_one_the_matrix_lists(
    db: AsyncConnection[Any]
) -> None:
    found = await held(db)
    unlisted = sorted(set(found) - set(GRANTS))
    assert unlisted == [], f"no row in matrix.GRANTS for: {unlisted}"
    wrong = {rel: (found.get(rel, {}), want) for rel, want in GRANTS.items()
             if found.get(rel, {}) != want}
    assert wrong == {}, "grants differ from matrix.GRANTS (held, listed):\n" + "\n".join(
        f"  {rel}: {got}" for rel, got in wrong.items())


async def test_no_api_role_holds_a_sequence(db: AsyncConnection[Any]) -> None:
    rows = await fetch_all(db, """
        select n.nspname || '.' || c.relname as seq, r.rolname as role
          from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join pg_roles r
         where c.relkind = 'S' and n.nspname = any(%s) and r.rolname = any(%s)
           and (has_sequence_privilege(r.oid, c.oid, 'USAGE')
                or has_sequence_privilege(r.oid, c.oid, 'UPDATE')
                or has_sequence_privilege(r.oid, c.oid, 'SELECT'))
        """, (SCHEMAS, list(API_ROLES)))
    assert rows == []


async def test_every_callable_function_has_a_row_and_a_reason(db: AsyncConnection[Any]) -> None:
    rows = await fetch_all(db, """
        select distinct n.nspname || '.' || p.proname as fn
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join pg_roles r
         where n.nspname = any(%s) and r.rolname = any(%s)
           and has_function_privilege(r.oid, p.oid, 'EXECUTE')
           and has_schema_privilege(r.oid, n.oid, 'USAGE')
           and n.nspname not in ('extensions', 'graphql_public')
        """, (SCHEMAS, list(API_ROLES)))
    callable_now = {r["fn"] for r in rows}
    assert sorted(callable_now - set(FUNCTIONS)) == [], "callable without a matrix row"
    assert sorted(set(FUNCTIONS) - callable_now) == [], "matrix rows for uncallable functions"


async def test_every_table_of_ours_has_policy_rows_in_the_matrix(db: AsyncConnection[Any]) -> None:
    rows = await fetch_all(
        db, "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')"
            " and not c.relispartition")
    covered = {key.split(":")[0] for key in EXPECTED}
    missing = sorted(r["relname"] for r in rows if r["relname"] not in covered)
    assert missing == [], f"tables without rows in matrix.EXPECTED: {missing}"
    assert {"storage", "realtime"} <= covered


@pytest.mark.parametrize("role", ["anon", "authenticated"])
@pytest.mark.parametrize("statement", [
    "truncate storage.objects", "truncate storage.buckets cascade",
    "truncate realtime.messages",
    "truncate public.tickets", "truncate public.audit_log",
])
async def test_api_roles_cannot_truncate(
    db: AsyncConnection[Any], tenant: Tenant, role: str, statement: str
) -> None:
    claims = tenant.claims["admin"] if role == "authenticated" else {"role": "anon"}
    await act_as(db, claims)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute(statement)


@pytest.mark.parametrize("role", ["anon", "authenticated"])
async def test_api_roles_cannot_move_a_sequence(
    db: AsyncConnection[Any], tenant: Tenant, role: str
) -> None:
    sequences = await fetch_all(
        db, "select n.nspname || '.' || c.relname as seq from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where c.relkind = 'S' and n.nspname = 'public'")
    assert any("audit_log" in s["seq"] for s in sequences)
    claims = tenant.claims["admin"] if role == "authenticated" else {"role": "anon"}
    for row in sequences:
        await db.execute("savepoint s")
        await act_as(db, claims)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            # (Harmless where it would succeed: the sequence is set to its own next value.
            # Sequence changes survive a rollback.)
            await db.execute("select setval(%s, nextval(%s))", (row["seq"], row["seq"]))
        await db.execute("rollback to savepoint s")


async def test_api_roles_cannot_hang_triggers_or_references_off_our_tables(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    rows = await fetch_all(db, """
        select c.relname, r.rolname from pg_class c join pg_namespace n on n.oid = c.relnamespace
         cross join pg_roles r
         where n.nspname in ('public', 'realtime') and c.relkind in ('r', 'p')
           and r.rolname in ('anon', 'authenticated')
           and (has_table_privilege(r.oid, c.oid, 'TRIGGER')
                or has_any_column_privilege(r.oid, c.oid, 'REFERENCES'))""")
    assert rows == []
    # Storage's own grants (its owner's, as on Supabase) cannot be revoked by our
    # migrations; they stay unusable because the API roles may create nothing anywhere:
    # no table to reference from, no trigger function to hang.
    creators = await fetch_all(db, """
        select n.nspname, r.rolname from pg_namespace n cross join pg_roles r
         where r.rolname in ('anon', 'authenticated')
           and has_schema_privilege(r.oid, n.oid, 'CREATE')""")
    assert creators == []
