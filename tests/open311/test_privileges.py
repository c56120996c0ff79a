"""Privileges of migration 0012's tables and functions, beyond RLS: no API role
may TRUNCATE (RLS does not stop it), reference or trigger on them; functions
run only for the roles they are for; security definers pin search_path.
(The tables have uuid keys: no sequences to hand out.)"""

from __future__ import annotations

from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.db import fetch_all

TABLES = ["duplicate_rules", "ticket_followers", "open311_clients", "open311_submissions",
          "ticket_updates"]
FUNCTIONS: dict[str, set[str]] = {
    # function -> the API roles that may execute it
    "open311.jurisdiction(text)": {"anon", "authenticated", "service_role"},
    "open311.requests(uuid, uuid[], text, timestamptz, timestamptz, boolean, integer, integer)":
        {"anon", "authenticated", "service_role"},
    "open311.updates(uuid, timestamptz, timestamptz, integer)":
        {"anon", "authenticated", "service_role"},
    "open311.token(uuid, uuid)": {"anon", "authenticated", "service_role"},
    "private.open311_client(text, text)": {"service_role"},
    "private.possible_duplicates(uuid, text, double precision, double precision, uuid,"
    " integer, timestamptz)": {"authenticated", "service_role"},
    "public.follow_ticket(uuid, uuid, text)": {"authenticated", "service_role"},
    "public.merge_ticket(uuid, uuid, text)": {"authenticated", "service_role"},
    "private.enqueue_follower_notifications()": set(),
    "private.record_ticket_update()": set(),
}
ROLES = ("anon", "authenticated", "service_role")


@pytest.mark.parametrize("table", TABLES)
async def test_no_api_role_truncates_references_or_triggers(
    db: AsyncConnection[Any], table: str
) -> None:
    for role in ("anon", "authenticated"):
        rows = await fetch_all(
            db, "select has_table_privilege(%s, %s, 'TRUNCATE') as t,"
            " has_table_privilege(%s, %s, 'REFERENCES') as r,"
            " has_table_privilege(%s, %s, 'TRIGGER') as g",
            (role, f"public.{table}") * 3)
        assert rows[0] == {"t": False, "r": False, "g": False}, (role, table)
    rows = await fetch_all(db, "select has_table_privilege('anon', %s, 'SELECT') as s",
                           (f"public.{table}",))
    assert rows[0]["s"] is False


async def test_functions_run_only_for_their_roles(db: AsyncConnection[Any]) -> None:
    for function, allowed in FUNCTIONS.items():
        for role in ROLES:
            rows = await fetch_all(db, "select has_function_privilege(%s, %s, 'EXECUTE') as x",
                                   (role, function))
            assert rows[0]["x"] is (role in allowed), (function, role)


async def test_security_definers_pin_an_empty_search_path(db: AsyncConnection[Any]) -> None:
    names = [f.split("(")[0] for f in FUNCTIONS]
    rows = await fetch_all(
        db, "select p.oid::regprocedure::text as f, p.proconfig from pg_proc p"
        " where p.pronamespace::regnamespace::text || '.' || p.proname = any(%s)", (names,))
    assert len(rows) == len(FUNCTIONS)
    for row in rows:
        assert 'search_path=""' in (row["proconfig"] or []), row["f"]
