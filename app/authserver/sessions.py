"""Sessions as Supabase Auth issues them: access token (hook included), refresh token
with rotation and reuse detection, and the user object clients receive."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt

from app.authserver import repository
from app.authserver.errors import AuthError
from app.authserver.repository import Conn, Row


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def user_json(user: Row, identities: list[Row] | None = None) -> dict[str, Any]:
    """The user object of Auth's API (phone without '+', as Auth stores it)."""
    body: dict[str, Any] = {
        "id": str(user["id"]), "aud": user["aud"] or "authenticated",
        "role": user["role"] or "authenticated", "email": user["email"] or "",
        "phone": user["phone"] or "",
        "app_metadata": user["raw_app_meta_data"] or {},
        "user_metadata": user["raw_user_meta_data"] or {},
        "is_anonymous": bool(user["is_anonymous"]),
        "created_at": _iso(user["created_at"]), "updated_at": _iso(user["updated_at"]),
    }
    for name in ("email_confirmed_at", "phone_confirmed_at", "confirmed_at", "last_sign_in_at",
                 "invited_at", "confirmation_sent_at", "recovery_sent_at", "banned_until"):
        if user.get(name) is not None:
            body[name] = _iso(user[name])
    if identities is not None:
        body["identities"] = [
            {"identity_id": str(i["id"]), "id": i["provider_id"], "user_id": str(i["user_id"]),
             "identity_data": i["identity_data"], "provider": i["provider"],
             "last_sign_in_at": _iso(i["last_sign_in_at"]), "created_at": _iso(i["created_at"]),
             "updated_at": _iso(i["updated_at"]), "email": i["email"]}
            for i in identities]
    return body


def is_banned(user: Row) -> bool:
    until = user.get("banned_until")
    return until is not None and until > datetime.now(UTC)


def base_claims(user: Row, *, issuer: str, lifetime: int, session_id: UUID,
                method: str) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": issuer, "sub": str(user["id"]), "aud": "authenticated",
        "exp": now + lifetime, "iat": now, "email": user["email"] or "",
        "phone": user["phone"] or "",
        "app_metadata": user["raw_app_meta_data"] or {},
        "user_metadata": user["raw_user_meta_data"] or {},
        "role": user["role"] or "authenticated", "aal": "aal1",
        "amr": [{"method": method, "timestamp": now}],
        "session_id": str(session_id), "is_anonymous": bool(user["is_anonymous"]),
    }


def token_not_found() -> AuthError:
    return AuthError(400, "refresh_token_not_found",
                     "Invalid Refresh Token: Refresh Token Not Found")


REQUIRED_CLAIMS = ("aud", "exp", "iat", "sub", "role", "aal", "session_id", "is_anonymous")


async def access_token(conn: Conn, user: Row, *, secret: str, issuer: str, lifetime: int,
                       session_id: UUID, method: str) -> tuple[str, int]:
    """Base claims, then our custom access token hook, then HS256."""
    claims = base_claims(user, issuer=issuer, lifetime=lifetime, session_id=session_id,
                         method=method)
    event = {"user_id": str(user["id"]), "claims": claims, "authentication_method": method}
    result = await repository.run_access_token_hook(conn, event)
    if isinstance(result, dict) and isinstance(result.get("error"), dict):
        error = result["error"]
        raise AuthError(int(error.get("http_code") or 500), "unexpected_failure",
                        str(error.get("message") or "The token hook refused."))
    out = (result or {}).get("claims") if isinstance(result, dict) else None
    if not isinstance(out, dict) or any(name not in out for name in REQUIRED_CLAIMS):
        raise AuthError(500, "unexpected_failure", "The token hook returned invalid claims.")
    return jwt.encode(out, secret, algorithm="HS256"), int(out["exp"])


def new_refresh_token() -> str:
    return secrets.token_urlsafe(24)


def hash_otp(identifier: str, code: str) -> str:
    """As Auth stores one-time codes: sha224 of the identifier and the code."""
    return hashlib.sha224((identifier + code).encode()).hexdigest()


async def issue(conn: Conn, user: Row, *, secret: str, issuer: str, lifetime: int,
                method: str, ip: str | None, user_agent: str | None) -> dict[str, Any]:
    """A new session for `user`: sessions + refresh_tokens rows and a signed access token."""
    if is_banned(user):
        raise AuthError(400, "user_banned", "User is banned")
    session_id = await repository.create_session(conn, user_id=user["id"], ip=ip,
                                                 user_agent=user_agent)
    refresh = new_refresh_token()
    await repository.insert_refresh_token(conn, token=refresh, user_id=user["id"],
                                          session_id=session_id, parent=None)
    user = await repository.update_user(conn, user["id"], last_sign_in_at=datetime.now(UTC)) \
        or user
    await repository.audit(conn, action="login", actor=user["id"], ip=ip)
    token, expires_at = await access_token(conn, user, secret=secret, issuer=issuer,
                                           lifetime=lifetime, session_id=session_id,
                                           method=method)
    return session_body(token, refresh, lifetime, expires_at,
                        user_json(user, await repository.identities(conn, user["id"])))


def session_body(token: str, refresh: str, lifetime: int, expires_at: int,
                 user: dict[str, Any]) -> dict[str, Any]:
    return {"access_token": token, "token_type": "bearer", "expires_in": lifetime,
            "expires_at": expires_at, "refresh_token": refresh, "user": user}


async def refresh(conn: Conn, token: str, *, secret: str, issuer: str, lifetime: int,
                  reuse_interval: int) -> dict[str, Any]:
    """Rotate: the presented token is revoked and a child issued. A revoked token
    presented again within the reuse interval gets the current child; after it,
    the whole session is ended (reuse means the token was stolen)."""
    row = await repository.refresh_token_for_update(conn, token)
    if row is None or row["session_id"] is None:
        raise token_not_found()
    session = await repository.session(conn, row["session_id"])
    if session is None:
        raise token_not_found()
    user = await repository.user_by_id(conn, UUID(row["user_id"]))
    if user is None or user["deleted_at"] is not None:
        raise token_not_found()
    if is_banned(user):
        raise AuthError(400, "user_banned", "User is banned")
    next_token = None
    if row["revoked"]:
        child = await repository.child_token(conn, token)
        recent = row["updated_at"] > datetime.now(UTC) - timedelta(seconds=reuse_interval)
        if child is None or child["revoked"] or not recent:
            await repository.delete_sessions(conn, user_id=user["id"], only=session["id"])
            raise AuthError(400, "refresh_token_already_used",
                            "Invalid Refresh Token: Already Used", keep=True)
        next_token = child["token"]
    else:
        await repository.revoke_token(conn, row["id"])
        next_token = new_refresh_token()
        await repository.insert_refresh_token(conn, token=next_token, user_id=user["id"],
                                              session_id=session["id"], parent=token)
    await repository.touch_session(conn, session["id"])
    access, expires_at = await access_token(conn, user, secret=secret, issuer=issuer,
                                            lifetime=lifetime, session_id=session["id"],
                                            method="token_refresh")
    return session_body(access, next_token, lifetime, expires_at,
                        user_json(user, await repository.identities(conn, user["id"])))
