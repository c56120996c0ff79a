"""Supabase JWTs in; a typed `Caller` and a transaction as the caller out.

User tokens are verified the way Supabase's servers verify them: HS256 with
the project's JWT secret, or the project's JWKS (asymmetric keys) when
SUPABASE_URL is set. Expired, forged, wrong-audience and wrong-issuer tokens
are a 401. The token is parsed and verified once per request; the `Caller`
built from it is what services receive (never the raw claims).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import jwt
from fastapi import Depends, Request

from app.config import Settings
from app.db import SERVICE_CLAIMS, in_good_standing, transaction_as
from app.errors import Forbidden, Unauthorized
from app.vocab import ASSIGNING_ROLES, ROLES, SENSITIVE_ROLES, STAFF_ROLES, Conn, Role

USER_ALGORITHMS = ["HS256", "RS256", "ES256"]
API_KEY_ROLES = {"anon", "service_role"}


class TokenError(Exception):
    """The token is not one we accept; the message is safe to show."""


@dataclass(frozen=True)
class Caller:
    """The signed-in person a request acts for, from their verified token.

    `role` and `municipality_id` come from `app_metadata` (set by our access
    token hook; users cannot edit it). The database decides access from the
    same claims; these helpers only shape queries and messages.
    """

    user_id: UUID
    role: Role | None
    municipality_id: UUID | None
    claims: Mapping[str, Any]

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Caller:
        meta = claims.get("app_metadata") or {}
        role = meta.get("role")
        tenant = meta.get("tenant_id")
        try:
            municipality = UUID(str(tenant)) if tenant else None
        except ValueError:
            municipality = None
        return cls(user_id=UUID(str(claims["sub"])),
                   role=role if role in ROLES else None,
                   municipality_id=municipality, claims=claims)

    @property
    def sees_sensitive(self) -> bool:
        """SAPS liaisons and admins: the only people a sensitive report exists for."""
        return self.role in SENSITIVE_ROLES

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def may_assign(self) -> bool:
        return self.role in ASSIGNING_ROLES

    @property
    def sensitivity_filter(self) -> bool | None:
        """The explicit filter beside RLS: liaisons only sensitive, admins both, others none."""
        return None if self.role == "admin" else self.role == "saps_liaison"

    def municipality(self) -> UUID:
        """The caller's municipality; 403 for an account that has none."""
        if self.municipality_id is None:
            raise Forbidden("this account belongs to no municipality")
        return self.municipality_id


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._secret = settings.supabase_jwt_secret
        self._audience = settings.jwt_audience
        self._issuer = settings.token_issuer
        self._jwks: jwt.PyJWKClient | None = None
        if settings.supabase_url:
            self._jwks = jwt.PyJWKClient(
                f"{settings.supabase_url.rstrip('/')}/auth/v1/.well-known/jwks.json",
                cache_keys=True,
                timeout=5,
            )

    def _key_for(self, header: Mapping[str, Any]) -> Any:
        if header.get("alg") == "HS256" or self._jwks is None:
            return self._secret
        return self._jwks.get_signing_key(str(header.get("kid", ""))).key

    def decode(self, token: str, *, allow_api_keys: bool = False) -> dict[str, Any]:
        """Claims of a valid token (one parse, one verification).

        `allow_api_keys` also admits the project's anon and service keys,
        which carry no audience."""
        try:
            header = jwt.get_unverified_header(token)
            claims: dict[str, Any] = jwt.decode(
                token, self._key_for(header), algorithms=USER_ALGORITHMS,
                options={"require": ["exp", "role"], "verify_aud": False})
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("token has expired") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise TokenError("token is invalid") from exc
        role = claims.get("role")
        if allow_api_keys and role in API_KEY_ROLES and "aud" not in claims:
            return claims
        if claims.get("aud") != self._audience:
            raise TokenError("token is not for this audience")
        if role != "authenticated":
            raise TokenError("token role is not accepted here")
        if not claims.get("sub"):
            raise TokenError("token has no subject")
        if self._issuer and claims.get("iss") != self._issuer:
            raise TokenError("token issuer is not this project's Auth")
        return claims


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token")
    return token.strip()


async def current_caller(request: Request) -> Caller:
    """The request's verified caller (401 otherwise); built once per request."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, Caller):
        return cached
    verifier: TokenVerifier = request.app.state.verifier
    try:
        caller = Caller.from_claims(verifier.decode(bearer_token(request)))
    except (TokenError, ValueError) as exc:
        raise Unauthorized(str(exc) if isinstance(exc, TokenError)
                           else "token subject is not a user id") from exc
    request.state.caller = caller
    return caller


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def caller_transaction(
    request: Request, caller: Annotated[Caller, Depends(current_caller)]
) -> AsyncIterator[Conn]:
    """The request's transaction, as the caller. Committed before the response is sent."""
    async with transaction_as(
        request.app.state.pool,
        caller.claims,
        client_ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    ) as conn:
        if not await in_good_standing(conn):
            raise Unauthorized("this account is switched off or has changed; sign in again")
        yield conn


async def service_transaction_dep(request: Request) -> AsyncIterator[Conn]:
    """A service-role transaction (bypasses RLS). Only webhooks and workers use this."""
    async with transaction_as(
        request.app.state.pool, SERVICE_CLAIMS, client_ip=client_ip(request)
    ) as conn:
        yield conn


CurrentCaller = Annotated[Caller, Depends(current_caller)]
CallerDB = Annotated[Conn, Depends(caller_transaction, scope="function")]
ServiceDB = Annotated[Conn, Depends(service_transaction_dep, scope="function")]
