"""Supabase JWTs in, a transaction as the caller out.

User tokens are verified the way Supabase's servers verify them: HS256 with
the project's JWT secret, or the project's JWKS (asymmetric keys) when
SUPABASE_URL is set. Expired, forged and wrong-audience tokens are a 401.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from psycopg import AsyncConnection

from app.config import Settings
from app.db import SERVICE_CLAIMS, transaction_as

USER_ALGORITHMS = ["HS256", "RS256", "ES256"]
API_KEY_ROLES = {"anon", "service_role"}


class TokenError(Exception):
    """The token is not one we accept; the message is safe to show."""


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._secret = settings.supabase_jwt_secret
        self._audience = settings.jwt_audience
        self._jwks: jwt.PyJWKClient | None = None
        if settings.supabase_url:
            self._jwks = jwt.PyJWKClient(
                f"{settings.supabase_url.rstrip('/')}/auth/v1/.well-known/jwks.json",
                cache_keys=True,
                timeout=5,
            )

    def _key_for(self, token: str) -> Any:
        header = jwt.get_unverified_header(token)
        if header.get("alg") == "HS256" or self._jwks is None:
            return self._secret
        return self._jwks.get_signing_key_from_jwt(token).key

    def decode(self, token: str, *, allow_api_keys: bool = False) -> dict[str, Any]:
        """Claims of a valid token; `allow_api_keys` also admits anon/service keys."""
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            role = unverified.get("role")
            is_api_key = allow_api_keys and role in API_KEY_ROLES and "aud" not in unverified
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key_for(token),
                algorithms=USER_ALGORITHMS,
                audience=None if is_api_key else self._audience,
                options={"require": ["exp", "role"], "verify_aud": not is_api_key},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenError("token is not for this audience") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise TokenError("token is invalid") from exc
        if claims.get("role") not in ({"authenticated"} | (API_KEY_ROLES if is_api_key else set())):
            raise TokenError("token role is not accepted here")
        if claims.get("role") == "authenticated" and not claims.get("sub"):
            raise TokenError("token has no subject")
        return claims


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=message,
        headers={"WWW-Authenticate": "Bearer"},
    )


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("missing bearer token")
    return token.strip()


def caller_claims(request: Request) -> dict[str, Any]:
    """The verified claims of the request's user token (401 otherwise)."""
    verifier: TokenVerifier = request.app.state.verifier
    try:
        return verifier.decode(bearer_token(request))
    except TokenError as exc:
        raise _unauthorized(str(exc)) from exc


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def caller_transaction(
    request: Request, claims: Annotated[dict[str, Any], Depends(caller_claims)]
) -> AsyncIterator[AsyncConnection[Any]]:
    """The request's transaction, as the caller. Committed before the response is sent."""
    async with transaction_as(
        request.app.state.pool,
        claims,
        client_ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    ) as conn:
        yield conn


async def service_transaction_dep(request: Request) -> AsyncIterator[AsyncConnection[Any]]:
    """A service-role transaction (bypasses RLS). Only webhooks and workers use this."""
    async with transaction_as(
        request.app.state.pool, SERVICE_CLAIMS, client_ip=client_ip(request)
    ) as conn:
        yield conn


Claims = Annotated[dict[str, Any], Depends(caller_claims)]
CallerDB = Annotated[AsyncConnection[Any], Depends(caller_transaction, scope="function")]
ServiceDB = Annotated[AsyncConnection[Any], Depends(service_transaction_dep, scope="function")]
