"""The local platform is as strict as a Supabase project: each test pins one fact
of a real project (see "Local platform vs Supabase" in the README) and fails if
the local platform drifts permissive again."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.db import SERVICE_CLAIMS, act_as, fetch_all


async def one(conn: AsyncConnection[Any], query: str, params: Any = None) -> Any:
    rows = await fetch_all(conn, query, params)
    return next(iter(rows[0].values()))


async def refused(conn: AsyncConnection[Any], statement: str) -> str:
    """Run `statement` in a savepoint; the SQLSTATE it was refused with."""
    await conn.execute("savepoint refused")
    try:
        await conn.execute(statement)
    except psycopg.Error as exc:
        await conn.execute("rollback to savepoint refused")
        return exc.sqlstate or ""
    await conn.execute("rollback to savepoint refused")
    raise AssertionError(f"not refused: {statement}")


async def test_postgres_is_an_ordinary_role_with_supabases_powers(
    db: AsyncConnection[Any],
) -> None:
    rows = await fetch_all(db, "select rolsuper, rolcreaterole, rolcreatedb, rolreplication,"
                               " rolbypassrls from pg_roles where rolname = current_user")
    assert await one(db, "select current_user") == "postgres"
    assert rows == [{"rolsuper": False, "rolcreaterole": True, "rolcreatedb": True,
                     "rolreplication": True, "rolbypassrls": True}]
    assert await one(db, "select rolname from pg_roles where oid = 10") == "supabase_admin"


@pytest.mark.parametrize("admin", ["supabase_auth_admin", "supabase_storage_admin",
                                   "supabase_realtime_admin", "supabase_admin"])
async def test_postgres_is_not_a_member_of_the_service_admins(
    db: AsyncConnection[Any], admin: str
) -> None:
    assert not await one(db, "select pg_has_role('postgres', %s, 'member')", (admin,))
    assert await refused(db, f"set local role {admin}") == "42501"


async def test_platform_objects_belong_to_the_service_admins(db: AsyncConnection[Any]) -> None:
    owners = await fetch_all(db, """
        select c.oid::regclass::text as name, c.relowner::regrole::text as owner
          from pg_class c
         where c.oid in ('auth.users'::regclass, 'auth.sessions'::regclass,
                         'auth.refresh_tokens'::regclass, 'auth.identities'::regclass,
                         'storage.objects'::regclass, 'storage.buckets'::regclass,
                         'realtime.messages'::regclass)
         order by 1""")
    assert {r["name"]: r["owner"] for r in owners} == {
        "auth.identities": "supabase_auth_admin", "auth.refresh_tokens": "supabase_auth_admin",
        "auth.sessions": "supabase_auth_admin", "auth.users": "supabase_auth_admin",
        "realtime.messages": "supabase_realtime_admin",
        "storage.buckets": "supabase_storage_admin", "storage.objects": "supabase_storage_admin",
    }


@pytest.mark.parametrize("schema", ["auth", "storage", "realtime"])
async def test_postgres_cannot_create_objects_in_platform_schemas(
    db: AsyncConnection[Any], schema: str
) -> None:
    assert await refused(db, f"create table {schema}.mine (id int)") == "42501"


async def test_auth_users_has_no_column_defaults(db: AsyncConnection[Any]) -> None:
    defaults = await fetch_all(db, """
        select column_name from information_schema.columns
         where table_schema = 'auth' and table_name = 'users' and column_default is not null
           and column_name in ('id', 'instance_id', 'aud', 'role', 'created_at', 'updated_at',
                               'raw_app_meta_data', 'raw_user_meta_data')""")
    assert defaults == []
    assert await refused(db, "insert into auth.users (email) values ('x@y.example')") == "23502"


@pytest.mark.parametrize("role", ["service_role", "authenticated", "anon"])
async def test_the_api_roles_have_no_access_to_auth(db: AsyncConnection[Any], role: str) -> None:
    await act_as(db, SERVICE_CLAIMS if role == "service_role" else {"role": role})
    for table in ("users", "identities", "sessions", "refresh_tokens"):
        assert await refused(db, f"select 1 from auth.{table}") == "42501", table


async def test_policies_only_on_the_tables_supautils_allows(db: AsyncConnection[Any]) -> None:
    await db.execute("create policy \"probe\" on storage.objects for select to anon"
                     " using (false)")
    await db.execute("drop policy \"probe\" on storage.objects")
    assert await one(db, "select relowner::regrole::text from pg_class"
                         " where oid = 'storage.objects'::regclass") == "supabase_storage_admin"
    assert await refused(db, "create policy \"probe\" on auth.users for select to anon"
                             " using (true)") == "42501"
    assert await refused(db, "alter table storage.objects disable row level security") == "42501"


async def test_only_allowed_extensions_are_there_for_postgres(db: AsyncConnection[Any]) -> None:
    # postgis is pre-created (supautils creates it for postgres on Supabase).
    await db.execute("create extension if not exists postgis with schema extensions")
    # An untrusted extension outside supautils' list stays a superuser's.
    assert await refused(db, "create extension file_fdw") == "42501"


@pytest.mark.parametrize("table", ["objects", "buckets"])
async def test_storage_refuses_deletes_unless_the_storage_server_allows_them(
    db: AsyncConnection[Any], table: str
) -> None:
    assert await refused(db, f"delete from storage.{table} where false") == "42501"
    await db.execute("select set_config('storage.allow_delete_query', 'true', true)")
    await db.execute(f"delete from storage.{table} where false")


async def test_current_storage_has_no_level_column_nor_prefixes(db: AsyncConnection[Any]) -> None:
    assert await one(db, "select count(*) from information_schema.columns where"
                         " table_schema = 'storage' and table_name = 'objects'"
                         " and column_name = 'level'") == 0
    assert await one(db, "select to_regclass('storage.prefixes')") is None


async def test_our_storage_triggers_raise_only_codes_the_storage_server_maps(
    db: AsyncConnection[Any],
) -> None:
    sources = await fetch_all(db, """
        select p.proname, p.prosrc from pg_trigger t join pg_proc p on p.oid = t.tgfoid
         where t.tgrelid = 'storage.objects'::regclass and not t.tgisinternal""")
    assert sources, "no triggers on storage.objects"
    for row in sources:
        assert "'SA" not in row["prosrc"], row["proname"]


async def test_realtime_messages_has_daily_partitions_and_no_default(
    db: AsyncConnection[Any],
) -> None:
    bounds = await fetch_all(db, """
        select pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i
          join pg_class c on c.oid = i.inhrelid
         where i.inhparent = 'realtime.messages'::regclass""")
    assert bounds and all(b["bound"].startswith("FOR VALUES FROM") for b in bounds)
    assert await one(db, "select to_regclass(%s)",
                     ("realtime.messages_" + await one(
                         db, "select to_char(current_date, 'YYYY_MM_DD')"),)) is not None
    assert await refused(
        db, "insert into realtime.messages (topic, extension, inserted_at)"
            " values ('x', 'broadcast', '2099-01-01')") == "23514"


async def test_migrations_run_as_the_ordinary_postgres(database_url: str) -> None:
    async with await AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute("select current_user, (select rolsuper from pg_roles"
                                 " where rolname = current_user)")
        assert await cur.fetchone() == ("postgres", False)


async def test_the_gateway_makes_daily_partitions_ahead(db: AsyncConnection[Any]) -> None:
    from app.realtime import repository as realtime

    await realtime.ensure_partitions(db, days_ahead=6)
    day = await one(db, "select to_char(current_date + 6, 'YYYY_MM_DD')")
    assert await one(db, "select to_regclass(%s)::text", (f"realtime.messages_{day}",)) \
        == f"realtime.messages_{day}"
    # Only the gateway (postgres) may: the API roles may not make partitions.
    await act_as(db, SERVICE_CLAIMS)
    assert await refused(db, "select realtime.ensure_partitions(7)") == "42501"
