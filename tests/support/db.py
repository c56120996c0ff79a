"""Acting as a role inside a test transaction, exactly as Supabase's servers do."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from psycopg import AsyncConnection

ANON_CLAIMS = {"role": "anon", "iss": "supabase-demo"}
SERVICE_CLAIMS = {"role": "service_role", "iss": "supabase-demo"}


async def act_as(conn: AsyncConnection[Any], claims: Mapping[str, Any] | None) -> None:
    """`set local role` + `request.jwt.claims` for the rest of this transaction.

    `None` returns to the connection's own (owner) role.
    """
    if claims is None:
        await conn.execute("reset role")
        await conn.execute("select set_config('request.jwt.claims', '', true)")
        return
    await conn.execute(
        "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
        (claims.get("role", "anon"), json.dumps(dict(claims))),
    )


async def fetch_all(conn: AsyncConnection[Any], query: str, params: Any = None) -> list[Any]:
    cur = await conn.execute(query, params)
    return await cur.fetchall()
