"""One-time codes of the local Auth server: SMS codes (fixed test codes from
supabase/config.toml honoured), email links for invitations and password
recovery, and their verification. Codes are stored hashed, used once, expire,
and wrong guesses are limited."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from app.authserver import errors, repository, sessions
from app.authserver.errors import AuthError
from app.authserver.repository import Conn, Row
from app.authserver.service import (
    FIVE_MINUTES,
    HOUR,
    AuthServer,
    limit,
    limit_sign_in,
    normalise_email,
    normalise_phone,
    provider_metadata,
)

log = logging.getLogger("salga.auth")
MAX_OTP_FAILURES = 5


# ---- one-time codes: SMS, recovery and invitations -------------------------

def new_code(server: AuthServer, phone: str | None = None) -> str:
    if phone and phone in server.config.test_otp:
        return server.config.test_otp[phone]
    return f"{secrets.randbelow(10 ** server.config.otp_length):0{server.config.otp_length}d}"


async def send_sms_code(conn: Conn, server: AuthServer, *, user: Row, phone: str) -> None:
    limit(server, f"sms-number:{phone}", count=1, window=server.config.max_frequency,
          code="over_sms_send_rate_limit",
          msg=f"For security purposes, you can only request this after "
              f"{server.config.max_frequency} seconds.")
    limit(server, "sms", count=server.config.sms_limit, window=HOUR,
          code="over_sms_send_rate_limit", msg="SMS rate limit exceeded")
    code = new_code(server, phone)
    token_type = "recovery_token" if user["phone_confirmed_at"] else "confirmation_token"
    await repository.save_one_time_token(conn, user_id=user["id"], token_type=token_type,
                                         token_hash=sessions.hash_otp(phone, code),
                                         relates_to=phone)
    if phone not in server.config.test_otp:
        # Local SMS provider: the log and the local mailbox (never a real SMS).
        log.info("SMS to +%s: your code is %s", phone, code)
        server.mailbox.send(to=f"+{phone}", subject="SMS", kind="sms",
                            text=f"Your code is {code}")


async def send_otp(conn: Conn, server: AuthServer, *, phone: str | None, email: str | None,
                   create_user: bool, data: dict[str, Any], ip: str | None) -> dict[str, Any]:
    phone = normalise_phone(phone)
    if email and not phone:
        raise AuthError(422, "email_provider_disabled",
                        "Email logins are disabled here: use a password or a phone")
    if phone is None:
        raise errors.validation("An email address or phone number is required")
    user = await repository.user_by_phone(conn, phone)
    if user is None:
        if not (create_user and server.config.sms_signup and server.config.enable_signup):
            raise AuthError(422, "otp_disabled", "Signups not allowed for otp")
        limit_sign_in(server, ip)
        user = await repository.insert_user(
            conn, email=None, phone=phone, password_hash=None,
            app_metadata=provider_metadata("phone"), user_metadata=data,
            email_confirmed=False, phone_confirmed=False, invited=False)
    if user["deleted_at"] is not None or sessions.is_banned(user):
        raise AuthError(400, "user_banned", "User is banned")
    await send_sms_code(conn, server, user=user, phone=phone)
    return {"message_id": None}


async def send_email_link(conn: Conn, server: AuthServer, *, user: Row, kind: str,
                          redirect_to: str | None) -> None:
    limit(server, "email", count=server.config.email_limit, window=HOUR,
          code="over_email_send_rate_limit", msg="Email rate limit exceeded")
    email = user["email"]
    code = new_code(server)
    token_hash = sessions.hash_otp(email, code)
    token_type = "recovery_token" if kind == "recovery" else "confirmation_token"
    await repository.save_one_time_token(conn, user_id=user["id"], token_type=token_type,
                                         token_hash=token_hash, relates_to=email)
    target = redirect_to or server.config.site_url
    link = (f"{server.issuer}/verify?token={token_hash}&type={kind}"
            f"&redirect_to={quote(target, safe='')}")
    subject = {"recovery": "Reset your password", "invite": "You have been invited"}[kind]
    server.mailbox.send(to=email, subject=subject,
                        text=f"{subject}.\n\nFollow this link: {link}\n\n"
                             f"Or enter the code: {code}\n")
    await repository.update_user(conn, user["id"], **(
        {"recovery_sent_at": datetime.now(UTC)} if kind == "recovery"
        else {"confirmation_sent_at": datetime.now(UTC)}))


async def recover(conn: Conn, server: AuthServer, *, email: str | None,
                  redirect_to: str | None, ip: str | None) -> dict[str, Any]:
    """Always answers the same, whether or not the address has an account."""
    email = normalise_email(email)
    if email is None:
        raise errors.validation("Password recovery requires an email")
    limit_sign_in(server, ip)
    user = await repository.user_by_email(conn, email)
    if user is not None and user["deleted_at"] is None:
        await send_email_link(conn, server, user=user, kind="recovery", redirect_to=redirect_to)
    return {}


VERIFY_TYPES = {"sms": ("confirmation_token", "recovery_token"),
                "phone_change": ("confirmation_token", "recovery_token"),
                "recovery": ("recovery_token",), "invite": ("confirmation_token",),
                "signup": ("confirmation_token",), "email": ("confirmation_token",
                                                             "recovery_token"),
                "magiclink": ("recovery_token",)}


async def verify(conn: Conn, server: AuthServer, *, kind: str, token: str | None,
                 phone: str | None = None, email: str | None = None,
                 token_hash: str | None = None, ip: str | None,
                 user_agent: str | None) -> dict[str, Any]:
    if kind not in VERIFY_TYPES:
        raise errors.validation(f"Verify requires a verification type, got {kind!r}")
    if ip:
        limit(server, f"verify:{ip}", count=server.config.verify_limit, window=FIVE_MINUTES,
              code="over_request_rate_limit", msg="Request rate limit reached")
    identifier = normalise_phone(phone) if kind in ("sms", "phone_change") \
        else normalise_email(email)
    if token_hash is None:
        if not identifier or not token:
            raise errors.validation("Verify requires a token and an email or phone")
        if server.limiter.count(f"otp-fail:{identifier}", window=FIVE_MINUTES) \
                >= MAX_OTP_FAILURES:
            raise errors.rate_limited("over_request_rate_limit",
                                      "Too many wrong codes; request a new one later")
        token_hash = sessions.hash_otp(identifier, token.strip())
    row = await repository.one_time_token(conn, token_hash=token_hash,
                                          token_types=VERIFY_TYPES[kind])
    expired = row is not None and row["created_at"] < (
        datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=server.config.otp_expiry))
    if row is None or expired or (identifier and row["relates_to"] != identifier):
        if identifier:
            server.limiter.hit(f"otp-fail:{identifier}")
        raise AuthError(403, "otp_expired", "Token has expired or is invalid")
    await repository.delete_one_time_token(conn, row["id"])
    user = await repository.user_by_id(conn, row["user_id"])
    if user is None or user["deleted_at"] is not None:
        raise AuthError(403, "otp_expired", "Token has expired or is invalid")
    now = datetime.now(UTC)
    if kind in ("sms", "phone_change") and user["phone_confirmed_at"] is None:
        user = await repository.update_user(conn, user["id"], phone_confirmed_at=now) or user
    elif kind not in ("sms", "phone_change") and user["email_confirmed_at"] is None:
        user = await repository.update_user(conn, user["id"], email_confirmed_at=now) or user
    method = "otp" if kind in ("sms", "email", "magiclink", "phone_change") else kind
    return await sessions.issue(conn, user, method=method, ip=ip, user_agent=user_agent,
                                **server.session_args())
