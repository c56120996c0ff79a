"""Database access: one pool, and transactions that run *as somebody*.

Every user-facing statement runs inside one transaction as the caller
(`role authenticated` + `request.jwt.claims`), exactly as Supabase's own
servers do, so row-level security is the one place access is decided.
Service-role transactions exist for the webhook and workers only, and the
callers say so by asking for them by name.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from app.telemetry import requestid
from app.telemetry.dbconn import RequestAwareConnection

Claims = Mapping[str, Any]
SERVICE_CLAIMS: Claims = {"role": "service_role", "iss": "salga-trust-engine"}

_SET_CALLER = """
select set_config('role', %(role)s, true),
       set_config('request.jwt.claims', %(claims)s, true),
       set_config('request.jwt.claim.sub', %(sub)s, true),
       set_config('request.jwt.claim.role', %(role)s, true),
       set_config('app.client_ip', %(ip)s, true),
       set_config('app.user_agent', %(ua)s, true),
       set_config('app.request_id', %(request_id)s, true)
"""

DB_ROLES = {"anon", "authenticated", "service_role"}


def open_pool(url: str, *, min_size: int = 2, max_size: int = 20) -> AsyncConnectionPool:
    """A pool that is opened by the caller (`await pool.open()`)."""
    return AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False},
        connection_class=RequestAwareConnection,
        open=False,
        name="salga",
    )


async def set_caller(
    conn: AsyncConnection[Any],
    claims: Claims,
    *,
    client_ip: str = "",
    user_agent: str = "",
) -> None:
    """Make the rest of this transaction run as the holder of `claims`."""
    role = str(claims.get("role") or "anon")
    if role not in DB_ROLES:
        raise ValueError(f"unknown database role {role!r}")
    await conn.execute(
        _SET_CALLER,
        {
            "role": role,
            "claims": json.dumps(dict(claims)),
            "sub": str(claims.get("sub") or ""),
            "ip": client_ip,
            "ua": user_agent[:512],
            "request_id": requestid.current() or "",
        },
    )


@asynccontextmanager
async def transaction_as(
    pool: AsyncConnectionPool,
    claims: Claims,
    *,
    client_ip: str = "",
    user_agent: str = "",
) -> AsyncIterator[AsyncConnection[Any]]:
    """One transaction as the caller: committed on success, rolled back on error.

    The caller's statement carries the request id too (app.telemetry.dbconn would
    send it on its own otherwise): one round trip fewer on every request."""
    async with pool.connection() as conn, AsyncConnection.transaction(conn):
        await set_caller(conn, claims, client_ip=client_ip, user_agent=user_agent)
        yield conn


async def in_good_standing(conn: AsyncConnection[Any]) -> bool:
    """Does the database still know the caller as their token says (profile active, same
    municipality and role)? Checked once per request, so a deactivated person is refused
    at their next request, not when their token expires."""
    cur = await conn.execute("select (private.caller()).user_id is not null as standing")
    row = await cur.fetchone()
    return bool(row and row["standing"])


@asynccontextmanager
async def service_transaction(
    pool: AsyncConnectionPool, *, actor: str = "service"
) -> AsyncIterator[AsyncConnection[Any]]:
    """One transaction as `service_role` (bypasses RLS): webhooks and workers only."""
    claims = {**SERVICE_CLAIMS, "actor": actor}
    async with transaction_as(pool, claims) as conn:
        yield conn
