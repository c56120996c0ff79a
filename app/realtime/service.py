"""Channel rules: which tokens are accepted, and who may receive a channel.

Authorization is what Supabase Realtime does: with the caller's role and
claims and `realtime.topic` set to the channel, can a SELECT on
`realtime.messages` see a probe row inserted in the same (rolled-back)
transaction? The policies of migration 0007 decide.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
from psycopg import Rollback
from psycopg_pool import AsyncConnectionPool

from app.auth import TokenError, TokenVerifier
from app.db import set_caller
from app.realtime import repository


class ChannelRefused(Exception):
    """The join or token refresh is refused; `reason` is Supabase's wording."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Access:
    read: bool
    write: bool


def verify_token(verifier: TokenVerifier, token: str | None) -> dict[str, Any]:
    """The claims of a user token or API key, or ChannelRefused with Supabase's reason."""
    if not token:
        raise ChannelRefused("InvalidJWTToken: Fields `role` and `exp` are required in JWT")
    try:
        return verifier.decode(token, allow_api_keys=True)
    except TokenError as exc:
        raise ChannelRefused(_token_reason(token, str(exc))) from exc


def _token_reason(token: str, problem: str) -> str:
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "MalformedJWT: The token provided is not a valid JWT"
    if "expired" in problem:
        ago = max(0, int(time.time()) - int(unverified.get("exp", 0)))
        return f"InvalidJWTToken: Token has expired {ago} seconds ago"
    if "role" not in unverified or "exp" not in unverified:
        return "InvalidJWTToken: Fields `role` and `exp` are required in JWT"
    if "invalid" in problem:
        return "JwtSignatureError: Failed to validate JWT signature"
    return f"InvalidJWTToken: {problem}"


def seconds_left(claims: dict[str, Any]) -> float:
    return float(claims.get("exp", 0)) - time.time()


async def authorize(pool: AsyncConnectionPool, claims: dict[str, Any], topic: str) -> Access:
    """May the holder of `claims` receive (read) and send (write) on channel `topic`?"""
    async with pool.connection() as conn, conn.transaction():
        probe_id = await repository.insert_probe(conn, topic=topic)
        await set_caller(conn, claims)
        await repository.set_topic(conn, topic=topic)
        read = await repository.probe_visible(conn, topic=topic, probe_id=probe_id)
        write = await repository.caller_may_insert(conn, topic=topic)
        raise Rollback()  # the probe never becomes a message
    return Access(read=read, write=write)


def unauthorized(topic: str) -> ChannelRefused:
    return ChannelRefused(
        f"Unauthorized: You do not have permissions to read from this Channel topic: {topic}"
    )
