"""The access matrix: every actor, every object, select/insert/update/delete,
run for real as `authenticated` with the claims our token hook issued, each
cell inside a savepoint of a rolled-back transaction. A failing cell names the
hole: actor, object, operation, expected, got."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.security.matrix import (
    EXPECTED,
    OPS,
    PLATFORM_WIDE,
    REALTIME_TOPICS,
    STORAGE_TARGETS,
    TARGETS,
    storage_leaf,
)
from tests.security.world import World, build_world
from tests.support.db import ANON_CLAIMS, act_as
from tests.support.tenants import ROLES, Tenant

ACTORS = [*ROLES, "anon", *(f"other:{role}" for role in ROLES)]


async def _add_platform_rows(db: AsyncConnection[Any], w: World, me: UUID) -> None:
    """Objects in Storage (checked, except the `unchecked` ones) and one probe message
    per Realtime topic, written as the owner like the servers would."""
    for key, (bucket, folder, owner) in STORAGE_TARGETS.items():
        name = f"{w.tenant.id}/{folder(w, me)}/{storage_leaf(key)}"
        await db.execute(
            "insert into storage.objects (bucket_id, name, owner_id, metadata)"
            " values (%s, %s, %s, '{\"mimetype\": \"image/jpeg\", \"size\": 10}')"
            " on conflict do nothing", (bucket, name, str(owner(w, me))))
        if not key.endswith("/unchecked"):
            await db.execute(
                "update public.media_attachments set scan_status = 'clean', scanned_at = now()"
                " where bucket = %s and path = %s", (bucket, name))
    for key, topic in REALTIME_TOPICS.items():
        cur = await db.execute(
            "insert into realtime.messages (topic, extension, payload, event, private)"
            " values (%s, 'broadcast', '{}', 'probe', true) returning id", (topic(w),))
        row = await cur.fetchone()
        assert row is not None
        w.ids[f"probe:{key}"] = row["id"]


def _expected(obj: str, op: str, role: str, *, same_tenant: bool) -> bool:
    return (same_tenant or obj in PLATFORM_WIDE) and role in EXPECTED[obj][OPS.index(op)]


async def _attempt(db: AsyncConnection[Any], op: str, sql: str, params: Any) -> str:
    """'allow' or 'deny (...)'; anything else is a broken cell and raises."""
    try:
        cur = await db.execute(sql, params)
        count = len(await cur.fetchall()) if op == "select" else cur.rowcount
    except psycopg.errors.InsufficientPrivilege as exc:
        return f"deny ({str(exc).splitlines()[0]})"
    except psycopg.errors.ForeignKeyViolation:
        if op == "delete":
            return "allow (stopped only by a foreign key)"
        raise
    except psycopg.Error as exc:
        if exc.sqlstate and exc.sqlstate.startswith("SA"):
            return f"deny ({str(exc).splitlines()[0]})"
        raise
    return "allow" if count == 1 else f"deny ({count} rows)"


@pytest.mark.parametrize("actor", ACTORS)
async def test_access_matrix(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant, actor: str
) -> None:
    same_tenant = actor in ROLES
    role = actor.removeprefix("other:")
    claims = (ANON_CLAIMS if actor == "anon"
              else (tenant if same_tenant else other_tenant).claims[role])
    me = tenant.users[role if role in ROLES else "citizen"]

    w = await build_world(db, tenant)
    await _add_platform_rows(db, w, me)

    holes: list[str] = []
    cells = 0
    for obj, tgt in TARGETS.items():
        for op in OPS:
            sql, params = getattr(tgt, op)(w, me)
            await db.execute("savepoint cell")
            await act_as(db, claims)
            if obj.startswith("storage:"):  # as the Storage server does per request
                await db.execute("select set_config('storage.allow_delete_query', 'true', true)")
            if obj in REALTIME_TOPICS:
                await db.execute("select set_config('realtime.topic', %s, true)",
                                 (REALTIME_TOPICS[obj](w),))
            try:
                got = await _attempt(db, op, sql, params)
            except psycopg.Error as exc:
                got = f"error {exc.sqlstate}: {str(exc).splitlines()[0]}"
            await db.execute("rollback to savepoint cell")
            cells += 1
            want = _expected(obj, op, role, same_tenant=same_tenant)
            if got.startswith("allow") != want:
                holes.append(f"{actor} | {obj} | {op}: expected "
                             f"{'allow' if want else 'deny'}, got {got}")
    assert cells == len(TARGETS) * len(OPS)
    assert not holes, "access matrix holes:\n  " + "\n  ".join(holes)
