"""Migrations build an empty database, undo cleanly, and keep public locked down."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from app import dbadmin
from tests.support.db import act_as, fetch_all


@pytest.fixture
def empty_database(database_url: str) -> Iterator[str]:
    name = f"salga_mig_{uuid.uuid4().hex[:8]}"
    dbadmin.create_database(database_url, name)
    try:
        yield dbadmin.with_database(database_url, name)
    finally:
        dbadmin.drop_database(database_url, name)


def public_tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1").fetchall()
    return [r[0] for r in rows]


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    dbadmin.prepare(empty_database, local_platform=True)
    assert "profiles" in public_tables(empty_database)
    dbadmin.downgrade(empty_database, "base")
    assert public_tables(empty_database) == []
    dbadmin.migrate(empty_database)
    assert "profiles" in public_tables(empty_database)


async def test_every_public_table_has_forced_rls(db: AsyncConnection[Any]) -> None:
    rows = await fetch_all(
        db,
        "select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c"
        " join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition")
    assert rows, "no tables in public"
    unprotected = [r["relname"] for r in rows
                   if not (r["relrowsecurity"] and r["relforcerowsecurity"])]
    assert unprotected == [], f"tables without forced RLS: {unprotected}"


@pytest.mark.parametrize("role", ["anon", "authenticated"])
async def test_api_roles_cannot_read_the_migration_version(
    db: AsyncConnection[Any], role: str
) -> None:
    await act_as(db, {"role": role})
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await db.execute("select * from alembic.alembic_version")


async def test_anon_reads_nothing_in_public(db: AsyncConnection[Any]) -> None:
    tables = await fetch_all(
        db,
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind in ('r', 'p', 'v') and not c.relispartition")
    await act_as(db, {"role": "anon"})
    for row in tables:
        await db.execute("savepoint probe")
        try:
            cur = await db.execute(f'select count(*) as n from public."{row["relname"]}"')
            found = await cur.fetchone()
            assert found is not None and found["n"] == 0, row["relname"]
        except psycopg.errors.InsufficientPrivilege:
            pass
        await db.execute("rollback to savepoint probe")
