"""The local Auth server's rules for people signing themselves up, in and out.

Behaves as Supabase Auth does towards supabase-js / supabase-py: same
endpoints, bodies, error codes. No FastAPI here; the router owns the transaction.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import bcrypt
from psycopg_pool import AsyncConnectionPool

from app.authserver import errors, repository, sessions
from app.authserver.errors import AuthError
from app.authserver.repository import Conn, Row
from app.authserver.settings import AuthConfig, Mailbox, RateLimiter

log = logging.getLogger("salga.auth")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIVE_MINUTES, HOUR = 300.0, 3600.0


@dataclass
class AuthServer:
    """Everything a request needs: its pool (as supabase_auth_admin), config, limits, mail."""

    pool: AsyncConnectionPool | None
    config: AuthConfig
    secret: str
    public_url: str
    mailbox: Mailbox
    limiter: RateLimiter

    @property
    def issuer(self) -> str:
        return f"{self.public_url.rstrip('/')}/auth/v1"

    def session_args(self) -> dict[str, Any]:
        return {"secret": self.secret, "issuer": self.issuer, "lifetime": self.config.jwt_expiry}


def build(*, auth_database_url: str, config: AuthConfig, secret: str, public_url: str,
          mail_dir: Path) -> AuthServer:
    pool = AsyncConnectionPool(auth_database_url, min_size=1, max_size=10, open=False,
                               name="salga-auth",
                               kwargs={"autocommit": False, "row_factory": _dict_row()})
    return AuthServer(pool=pool, config=config, secret=secret, public_url=public_url,
                      mailbox=Mailbox(mail_dir), limiter=RateLimiter())


def _dict_row() -> Any:
    from psycopg.rows import dict_row

    return dict_row


# ---- small rules -------------------------------------------------------------

def normalise_phone(raw: str | None) -> str | None:
    """Auth stores phones as digits only (`27821234567`)."""
    if raw is None or not str(raw).strip():
        return None
    digits = re.sub(r"\D", "", str(raw))
    if not re.fullmatch(r"[1-9]\d{6,14}", digits):
        raise errors.validation("Invalid phone number format (E.164 required)")
    return digits


def normalise_email(raw: str | None) -> str | None:
    if raw is None or not str(raw).strip():
        return None
    email = str(raw).strip().lower()
    if len(email) > 255 or not EMAIL.match(email):
        raise errors.validation("Unable to validate email address: invalid format")
    return email


async def hash_password(password: str) -> str:
    return (await asyncio.to_thread(bcrypt.hashpw, password.encode(), bcrypt.gensalt(10))).decode()


async def password_matches(password: str, hashed: str | None) -> bool:
    if not hashed:
        return False
    try:
        return await asyncio.to_thread(bcrypt.checkpw, password.encode(), hashed.encode())
    except ValueError:
        return False


def check_password(server: AuthServer, password: str | None) -> str:
    if password is None or len(password) < server.config.password_min_length:
        raise AuthError(422, "weak_password", "Password should be at least "
                        f"{server.config.password_min_length} characters.")
    if len(password.encode()) > 72:
        raise errors.validation("Password cannot be longer than 72 characters")
    return password


def limit(server: AuthServer, key: str, *, count: int, window: float, code: str,
          msg: str) -> None:
    if not server.limiter.allow(key, limit=count, window=window):
        raise errors.rate_limited(code, msg)


def limit_sign_in(server: AuthServer, ip: str | None) -> None:
    if ip:
        limit(server, f"signin:{ip}", count=server.config.sign_in_limit, window=FIVE_MINUTES,
              code="over_request_rate_limit", msg="Request rate limit reached")


def provider_metadata(provider: str) -> dict[str, Any]:
    return {"provider": provider, "providers": [provider]}


# ---- sign-up and password sign-in ------------------------------------------

async def sign_up(conn: Conn, server: AuthServer, *, email: str | None, phone: str | None,
                  password: str | None, data: dict[str, Any], ip: str | None,
                  user_agent: str | None) -> dict[str, Any]:
    if not server.config.enable_signup:
        raise AuthError(422, "signup_disabled", "Signups not allowed for this instance")
    limit_sign_in(server, ip)
    email, phone = normalise_email(email), normalise_phone(phone)
    if bool(email) == bool(phone):
        raise errors.validation("Sign up needs an email or a phone number")
    check_password(server, password)
    assert password is not None
    existing = await (repository.user_by_email(conn, email) if email
                      else repository.user_by_phone(conn, phone or ""))
    if existing is not None:
        raise AuthError(422, "user_already_exists", "User already registered")
    confirmed = bool(email) and not server.config.email_confirmations
    user = await repository.insert_user(
        conn, email=email, phone=phone, password_hash=await hash_password(password),
        app_metadata=provider_metadata("email" if email else "phone"), user_metadata=data,
        email_confirmed=confirmed, phone_confirmed=False, invited=False)
    if confirmed:
        return await sessions.issue(conn, user, method="password", ip=ip, user_agent=user_agent,
                                    **server.session_args())
    if phone:
        from app.authserver.codes import send_sms_code  # codes builds on this module

        await send_sms_code(conn, server, user=user, phone=phone)
    return sessions.user_json(user, await repository.identities(conn, user["id"]))


async def password_grant(conn: Conn, server: AuthServer, *, email: str | None,
                         phone: str | None, password: str | None, ip: str | None,
                         user_agent: str | None) -> dict[str, Any]:
    limit_sign_in(server, ip)
    email, phone = normalise_email(email), normalise_phone(phone)
    if not password or not (email or phone):
        raise errors.invalid_credentials()
    user = await (repository.user_by_email(conn, email) if email
                  else repository.user_by_phone(conn, phone or ""))
    if user is None or user["deleted_at"] is not None:
        await password_matches(password, None)
        raise errors.invalid_credentials()
    if not await password_matches(password, user["encrypted_password"]):
        raise errors.invalid_credentials()
    if email and user["email_confirmed_at"] is None:
        raise AuthError(400, "email_not_confirmed", "Email not confirmed")
    if phone and user["phone_confirmed_at"] is None:
        raise AuthError(400, "phone_not_confirmed", "Phone not confirmed")
    return await sessions.issue(conn, user, method="password", ip=ip, user_agent=user_agent,
                                **server.session_args())


# ---- the signed-in user -----------------------------------------------------

async def current_user(conn: Conn, *, claims: dict[str, Any]) -> Row:
    """The token's user, if its session still exists and the user may still sign in."""
    try:
        user_id, session_id = UUID(str(claims.get("sub"))), UUID(str(claims.get("session_id")))
    except ValueError as exc:
        raise AuthError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature") \
            from exc
    user = await repository.user_by_id(conn, user_id)
    if user is None or user["deleted_at"] is not None:
        raise AuthError(403, "user_not_found", "User from sub claim in JWT does not exist")
    if sessions.is_banned(user):
        raise AuthError(403, "user_banned", "User is banned")
    found = await repository.session(conn, session_id)
    if found is None or found["user_id"] != user_id:
        raise AuthError(403, "session_not_found",
                        "Session from session_id claim in JWT does not exist")
    return user


async def get_user(conn: Conn, *, claims: dict[str, Any]) -> dict[str, Any]:
    user = await current_user(conn, claims=claims)
    return sessions.user_json(user, await repository.identities(conn, user["id"]))


async def update_user(conn: Conn, server: AuthServer, *, claims: dict[str, Any],
                      password: str | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """People change their password and user_metadata (never app_metadata)."""
    user = await current_user(conn, claims=claims)
    fields: dict[str, Any] = {}
    if password is not None:
        fields["encrypted_password"] = await hash_password(check_password(server, password))
    if data is not None:
        merged = {**(user["raw_user_meta_data"] or {}), **data}
        fields["raw_user_meta_data"] = {k: v for k, v in merged.items() if v is not None}
    if fields:
        user = await repository.update_user(conn, user["id"], **fields) or user
    return sessions.user_json(user, await repository.identities(conn, user["id"]))


async def logout(conn: Conn, *, claims: dict[str, Any], scope: str) -> None:
    if scope not in ("global", "local", "others"):
        raise errors.validation("scope must be one of global, local, others")
    try:
        user_id, session_id = UUID(str(claims.get("sub"))), UUID(str(claims.get("session_id")))
    except ValueError as exc:
        raise AuthError(403, "bad_jwt", "invalid JWT") from exc
    await repository.audit(conn, action="logout", actor=user_id, ip=None)
    if scope == "local":
        await repository.delete_sessions(conn, user_id=user_id, only=session_id)
    elif scope == "others":
        await repository.delete_sessions(conn, user_id=user_id, keep=session_id)
    else:
        await repository.delete_sessions(conn, user_id=user_id)
