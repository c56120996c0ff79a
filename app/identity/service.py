"""Municipalities, users, and the tokens Supabase Auth would issue them."""

from __future__ import annotations

import time
import uuid
from typing import Any
from uuid import UUID

import jwt
import phonenumbers
from psycopg import AsyncConnection

from app.errors import Invalid
from app.identity import repository

ROLES = ("citizen", "field_worker", "manager", "admin", "saps_liaison")
LANGUAGES = ("en", "zu", "af")
PROVINCES = ("EC", "FS", "GP", "KZN", "LP", "MP", "NC", "NW", "WC")


class IdentityError(Invalid):
    """Something the operator asked for cannot be done; the message says why."""


def normalise_phone(raw: str | None, *, region: str = "ZA") -> str | None:
    """E.164 (`+27821234567`) from what a person typed, or an IdentityError."""
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.removeprefix("whatsapp:"), region)
    except phonenumbers.NumberParseException as exc:
        raise IdentityError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise IdentityError(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


async def add_municipality(
    conn: AsyncConnection[Any],
    *,
    code: str,
    name: str,
    province: str,
    contact_email: str | None = None,
    whatsapp_number: str | None = None,
) -> dict[str, Any]:
    code, province = code.strip().upper(), province.strip().upper()
    if province not in PROVINCES:
        raise IdentityError(f"province must be one of {', '.join(PROVINCES)}")
    return await repository.upsert_municipality(
        conn, code=code, name=name.strip(), province=province, contact_email=contact_email,
        whatsapp_number=normalise_phone(whatsapp_number),
    )


async def municipality(conn: AsyncConnection[Any], *, code: str) -> dict[str, Any]:
    """The municipality with this code, or an IdentityError saying there is none."""
    found = await repository.municipality_by_code(conn, code.strip().upper())
    if found is None:
        raise IdentityError(f"no municipality with code {code!r}")
    return found


async def add_user(
    conn: AsyncConnection[Any],
    *,
    email: str | None,
    role: str,
    municipality_code: str,
    phone: str | None = None,
    full_name: str | None = None,
    language: str = "en",
) -> UUID:
    """Create (or update) an auth user and their profile; returns the user id."""
    if role not in ROLES:
        raise IdentityError(f"role must be one of {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise IdentityError(f"language must be one of {', '.join(LANGUAGES)}")
    if not email and not phone:
        raise IdentityError("a user needs an email or a phone number")
    municipality = await repository.municipality_by_code(conn, municipality_code.upper())
    if municipality is None:
        raise IdentityError(f"no municipality with code {municipality_code!r}")
    phone = normalise_phone(phone)
    existing = await repository.user_by_email(conn, email) if email else None
    user_id = UUID(str(existing["id"])) if existing else await repository.insert_auth_user(
        conn, email=email, phone=phone, full_name=full_name
    )
    await repository.upsert_profile(
        conn, user_id=user_id, tenant_id=municipality["id"], role=role, full_name=full_name,
        phone=phone, language=language,
    )
    return user_id


def base_claims(user: dict[str, Any], *, issuer: str, lifetime: int) -> dict[str, Any]:
    """The claims Supabase Auth puts in an access token before the hook runs."""
    now = int(time.time())
    return {
        "iss": issuer,
        "sub": str(user["id"]),
        "aud": "authenticated",
        "exp": now + lifetime,
        "iat": now,
        "email": user.get("email") or "",
        "phone": user.get("phone") or "",
        "app_metadata": user.get("raw_app_meta_data") or {},
        "user_metadata": user.get("raw_user_meta_data") or {},
        "role": "authenticated",
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": now}],
        "session_id": str(uuid.uuid4()),
        "is_anonymous": bool(user.get("is_anonymous")),
    }


async def issue_token(
    conn: AsyncConnection[Any],
    *,
    email: str,
    secret: str,
    issuer: str = "http://127.0.0.1:8000/auth/v1",
    lifetime: int = 3600,
) -> str:
    """What Supabase Auth would issue this user: base claims, then our hook, HS256-signed."""
    user = await repository.user_by_email(conn, email)
    if user is None:
        raise IdentityError(f"no user with email {email!r}")
    event = {
        "user_id": str(user["id"]),
        "claims": base_claims(user, issuer=issuer, lifetime=lifetime),
        "authentication_method": "password",
    }
    result = await repository.run_access_token_hook(conn, event)
    if "error" in result:
        raise IdentityError(result["error"].get("message", "token refused"))
    claims = result.get("claims", result)
    return jwt.encode(claims, secret, algorithm="HS256")
