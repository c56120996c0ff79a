"""Municipalities with one user per role, and real tokens for them.

People are created through the local Auth server's admin API, with a password,
and their tokens come from signing in with it: base claims, then the
database's own access token hook, signed with the JWT secret — what Supabase
Auth issues.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import jwt
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.identity import people
from app.identity import service as identity

ROLES = identity.ROLES
PASSWORD = "correct horse battery staple"


@dataclass
class Tenant:
    id: UUID
    code: str
    users: dict[str, UUID] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        """Request headers for this tenant's user with `role`."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def unique_code() -> str:
    """A fresh municipality code (letters only)."""
    digits = uuid.uuid4().int
    letters = ""
    for _ in range(7):
        digits, rem = divmod(digits, 26)
        letters += chr(ord("A") + rem)
    return "T" + letters


async def acknowledge_notice(conn: AsyncConnection[Any], user_id: UUID, tenant_id: UUID) -> None:
    """Record that the user read the current privacy notice (web reports need it)."""
    await conn.execute(
        "insert into public.consent_records (user_id, tenant_id, purpose, purpose_description,"
        " consented, consent_version, privacy_policy_version, notice_template_id)"
        " select %s, %s, 'privacy_notice', 'Read the privacy notice', true, '1', '1',"
        " private.current_template_id(%s, 'privacy_notice', 'en')", (user_id, tenant_id, tenant_id))


async def create_tenant(url: str, secret: str, *, roles: tuple[str, ...] = ROLES) -> Tenant:
    """A committed municipality with one user per role, each with a token."""
    code = unique_code()
    async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
        async with conn.transaction():
            row = await identity.add_municipality(
                conn, code=code, name=f"Test Municipality {code}", province="GP")
            tenant = Tenant(id=row["id"], code=code)
        async with conn.transaction():
            for role in roles:
                email = f"{role}.{code.lower()}@test.salga.example"
                phone = f"+2782{uuid.uuid4().int % 10**7:07d}"
                tenant.users[role] = await identity.add_user(
                    conn, email=email, role=role, municipality_code=code, phone=phone,
                    full_name=f"{role.title()} {code}", password=PASSWORD)
                tenant.emails[role] = email
                await acknowledge_notice(conn, tenant.users[role], tenant.id)
        for role, email in tenant.emails.items():
            session = await people.sign_in_with_password(conn, email=email, password=PASSWORD,
                                                         secret=secret)
            tenant.sessions[role] = session
            tenant.tokens[role] = session["access_token"]
            tenant.claims[role] = jwt.decode(session["access_token"],
                                             options={"verify_signature": False})
    return tenant
