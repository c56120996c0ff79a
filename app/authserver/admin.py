"""The Auth admin API (service key only): create, invite, update, ban, delete, list."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from app.authserver import errors, repository, sessions
from app.authserver.codes import send_email_link
from app.authserver.errors import AuthError
from app.authserver.repository import Conn
from app.authserver.service import (
    AuthServer,
    check_password,
    hash_password,
    normalise_email,
    normalise_phone,
    provider_metadata,
)

DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_ban_duration(text: str) -> timedelta | None:
    """Go durations as Auth takes them ("24h", "1h30m"); "none" lifts a ban."""
    if text == "none":
        return None
    if not text or DURATION_PART.sub("", text) != "":
        raise errors.validation("invalid format for ban duration: time: invalid duration "
                                f"{text!r}")
    seconds = sum(float(n) * UNIT_SECONDS[u] for n, u in DURATION_PART.findall(text))
    return timedelta(seconds=seconds)


def merged(current: dict[str, Any] | None, changes: dict[str, Any]) -> dict[str, Any]:
    """Auth merges metadata updates key by key; a null value removes the key."""
    out = {**(current or {}), **changes}
    return {k: v for k, v in out.items() if v is not None}


async def create_user(conn: Conn, server: AuthServer, *, email: str | None,
                      phone: str | None, password: str | None, email_confirm: bool,
                      phone_confirm: bool, user_metadata: dict[str, Any],
                      app_metadata: dict[str, Any], ban_duration: str | None) -> dict[str, Any]:
    email, phone = normalise_email(email), normalise_phone(phone)
    if not email and not phone:
        raise errors.validation("Unable to validate email address: invalid format")
    if email and await repository.user_by_email(conn, email):
        raise AuthError(422, "email_exists",
                        "A user with this email address has already been registered")
    if phone and await repository.user_by_phone(conn, phone):
        raise AuthError(422, "phone_exists",
                        "A user with this phone number has already been registered")
    hashed = await hash_password(check_password(server, password)) if password else None
    user = await repository.insert_user(
        conn, email=email, phone=phone, password_hash=hashed,
        app_metadata=merged(provider_metadata("email" if email else "phone"), app_metadata),
        user_metadata=user_metadata, email_confirmed=bool(email) and email_confirm,
        phone_confirmed=bool(phone) and phone_confirm, invited=False)
    if ban_duration:
        await ban(conn, user["id"], ban_duration)
        user = await repository.user_by_id(conn, user["id"]) or user
    return sessions.user_json(user, await repository.identities(conn, user["id"]))


async def invite(conn: Conn, server: AuthServer, *, email: str | None, data: dict[str, Any],
                 redirect_to: str | None) -> dict[str, Any]:
    """As Supabase's /invite: a new user gets `data` as user_metadata only (never
    app_metadata); an existing unconfirmed user is sent the link again."""
    email = normalise_email(email)
    if email is None:
        raise errors.validation("An email address is required")
    user = await repository.user_by_email(conn, email)
    if user is not None and user["email_confirmed_at"] is not None:
        raise AuthError(422, "email_exists",
                        "A user with this email address has already been registered")
    if user is None:
        user = await repository.insert_user(
            conn, email=email, phone=None, password_hash=None,
            app_metadata=provider_metadata("email"),
            user_metadata=data, email_confirmed=False, phone_confirmed=False, invited=True)
    else:  # invited again (or after an operator created them): marked invited now
        user = await repository.update_user(conn, user["id"], invited_at=datetime.now(UTC)) \
            or user
    await send_email_link(conn, server, user=user, kind="invite", redirect_to=redirect_to)
    user = await repository.user_by_id(conn, user["id"]) or user
    return sessions.user_json(user, await repository.identities(conn, user["id"]))


async def ban(conn: Conn, user_id: UUID, duration: str) -> None:
    """A ban ends every session at once (their refresh tokens stop working)."""
    span = parse_ban_duration(duration)
    until = datetime.now(UTC) + span if span is not None else None
    await repository.update_user(conn, user_id, banned_until=until)
    if until is not None:
        await repository.delete_sessions(conn, user_id=user_id)


async def update_user(conn: Conn, server: AuthServer, *, user_id: UUID,
                      changes: dict[str, Any]) -> dict[str, Any]:
    user = await repository.user_by_id(conn, user_id)
    if user is None:
        raise AuthError(404, "user_not_found", "User not found")
    fields: dict[str, Any] = {}
    now = datetime.now(UTC)
    if changes.get("email") is not None:
        fields["email"] = normalise_email(changes["email"])
    if changes.get("phone") is not None:
        fields["phone"] = normalise_phone(changes["phone"])
    if changes.get("password") is not None:
        fields["encrypted_password"] = await hash_password(
            check_password(server, changes["password"]))
    if changes.get("user_metadata") is not None:
        fields["raw_user_meta_data"] = merged(user["raw_user_meta_data"],
                                              changes["user_metadata"])
    if changes.get("app_metadata") is not None:
        fields["raw_app_meta_data"] = merged(user["raw_app_meta_data"],
                                             changes["app_metadata"])
    if changes.get("email_confirm"):
        fields["email_confirmed_at"] = user["email_confirmed_at"] or now
    if changes.get("phone_confirm"):
        fields["phone_confirmed_at"] = user["phone_confirmed_at"] or now
    if fields:
        await repository.update_user(conn, user_id, **fields)
    if changes.get("ban_duration"):
        await ban(conn, user_id, str(changes["ban_duration"]))
    user = await repository.user_by_id(conn, user_id)
    assert user is not None
    return sessions.user_json(user, await repository.identities(conn, user_id))


async def get_user(conn: Conn, *, user_id: UUID) -> dict[str, Any]:
    user = await repository.user_by_id(conn, user_id)
    if user is None:
        raise AuthError(404, "user_not_found", "User not found")
    return sessions.user_json(user, await repository.identities(conn, user_id))


async def delete_user(conn: Conn, *, user_id: UUID) -> dict[str, Any]:
    if not await repository.delete_user(conn, user_id):
        raise AuthError(404, "user_not_found", "User not found")
    return {}


async def list_users(conn: Conn, *, page: int, per_page: int) -> tuple[dict[str, Any], int]:
    if page < 1 or not 1 <= per_page <= 1000:
        raise errors.validation("page must be >= 1 and per_page between 1 and 1000")
    rows, total = await repository.list_users(conn, page=page, per_page=per_page)
    users = [sessions.user_json(row, await repository.identities(conn, row["id"]))
             for row in rows]
    return {"users": users, "aud": "authenticated"}, total
