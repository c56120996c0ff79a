"""Municipalities, users, and the tokens Supabase Auth would issue them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import phonenumbers
from psycopg import AsyncConnection

from app.errors import Invalid
from app.identity import people, repository
from app.languages import repository as languages

ROLES = ("citizen", "field_worker", "manager", "admin", "saps_liaison")
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
    password: str | None = None,
) -> UUID:
    """A person with a profile in a municipality, created through Auth (an invitation
    by email unless a password is given); an existing person gets this role."""
    if role not in ROLES:
        raise IdentityError(f"role must be one of {', '.join(ROLES)}")
    if not await languages.is_active(conn, language):
        raise IdentityError(f"no language with code {language!r}")
    if not email and not phone:
        raise IdentityError("a user needs an email or a phone number")
    municipality = await repository.municipality_by_code(conn, municipality_code.upper())
    if municipality is None:
        raise IdentityError(f"no municipality with code {municipality_code!r}")
    phone = normalise_phone(phone)
    try:
        user_id = await people.create_person(
            conn, email=email, phone=phone, password=password, municipality=municipality["code"],
            tenant_id=municipality["id"], role=role, full_name=full_name, language=language,
            invite=password is None and bool(email))
    except people.PersonError as exc:
        raise IdentityError(str(exc)) from exc
    # The profile trigger cannot see a municipality this transaction has not
    # committed yet; and an existing person's role changes only here (admins).
    await repository.upsert_profile(
        conn, user_id=user_id, tenant_id=municipality["id"], role=role, full_name=full_name,
        phone=phone, language=language,
    )
    return user_id


async def issue_token(
    conn: AsyncConnection[Any],
    *,
    email: str,
    secret: str,
    issuer: str | None = None,
    lifetime: int | None = None,
) -> str:
    """An access token from a new local Auth session (base claims, our hook, HS256)."""
    try:
        session = await people.new_session(conn, email=email, secret=secret, issuer=issuer,
                                           lifetime=lifetime)
    except people.PersonError as exc:
        raise IdentityError(str(exc)) from exc
    return str(session["access_token"])
