"""The local platform's auth helpers read claims exactly as Supabase's do."""

from __future__ import annotations

import json
from typing import Any

from psycopg import AsyncConnection

SUB = "2f1c1c1e-7a59-4a52-9b1e-3c9a2f0f6a11"


async def one(conn: AsyncConnection[Any], query: str) -> Any:
    cur = await conn.execute(query)
    row = await cur.fetchone()
    assert row is not None
    return next(iter(row.values()))


async def set_claims(conn: AsyncConnection[Any], claims: dict[str, Any]) -> None:
    await conn.execute("select set_config('request.jwt.claims', %s, true)", (json.dumps(claims),))


async def test_claims_in_uid_jwt_role_out(db: AsyncConnection[Any]) -> None:
    await set_claims(db, {"sub": SUB, "role": "authenticated", "email": "a@b.example"})
    assert str(await one(db, "select auth.uid()")) == SUB
    assert await one(db, "select auth.role()") == "authenticated"
    assert await one(db, "select auth.email()") == "a@b.example"
    assert (await one(db, "select auth.jwt()"))["sub"] == SUB


async def test_without_claims_everything_is_null(db: AsyncConnection[Any]) -> None:
    assert await one(db, "select auth.uid()") is None
    assert await one(db, "select auth.role()") is None
    assert await one(db, "select auth.jwt()") is None


async def test_per_claim_setting_wins_over_claims_json(db: AsyncConnection[Any]) -> None:
    other = "11111111-2222-3333-4444-555555555555"
    await set_claims(db, {"sub": SUB, "role": "authenticated"})
    await db.execute("select set_config('request.jwt.claim.sub', %s, true)", (other,))
    assert str(await one(db, "select auth.uid()")) == other


async def test_storage_path_helpers(db: AsyncConnection[Any]) -> None:
    assert await one(db, "select storage.foldername('a/b/c.png')") == ["a", "b"]
    assert await one(db, "select storage.filename('a/b/c.png')") == "c.png"
    assert await one(db, "select storage.extension('a/b/c.tar.gz')") == "gz"


async def test_realtime_send_writes_a_private_broadcast(db: AsyncConnection[Any]) -> None:
    await db.execute("select realtime.send('{\"x\": 1}'::jsonb, 'ticket', 'municipality:t1')")
    cur = await db.execute(
        "select id, topic, event, extension, private, payload from realtime.messages"
        " where topic = 'municipality:t1'")
    row = await cur.fetchone()
    assert row is not None
    # As Supabase's realtime.send: the message id is added to the payload.
    assert row == {"id": row["id"], "topic": "municipality:t1", "event": "ticket",
                   "extension": "broadcast", "private": True,
                   "payload": {"x": 1, "id": str(row["id"])}}
    assert await one(db, "select realtime.topic()") == "municipality:t1"


async def test_realtime_send_swallows_its_own_errors(db: AsyncConnection[Any]) -> None:
    await db.execute("set local role anon")  # anon has no RLS policy: the insert fails
    await db.execute("select realtime.send('{}'::jsonb, 'e', 'x')")  # but send does not raise
    await db.execute("reset role")
    assert await one(db, "select count(*) from realtime.messages where topic = 'x'") == 0


async def test_api_roles_match_supabase(db: AsyncConnection[Any]) -> None:
    cur = await db.execute(
        "select rolname, rolcanlogin, rolbypassrls, rolinherit from pg_roles"
        " where rolname in ('anon', 'authenticated', 'service_role', 'authenticator')"
        " order by rolname")
    roles = {r["rolname"]: (r["rolcanlogin"], r["rolbypassrls"], r["rolinherit"])
             for r in await cur.fetchall()}
    assert roles == {
        "anon": (False, False, True),
        "authenticated": (False, False, True),
        "authenticator": (True, False, False),
        "service_role": (False, True, True),
    }
