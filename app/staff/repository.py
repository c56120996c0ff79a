"""SQL for staff (as the caller: managers and admins read; only admins change, and the
database's profile guard refuses roles above one's own and changes to oneself)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import errors

from app.vocab import Conn, Row

COLUMNS = """
  p.id, p.full_name, p.role, p.is_active, p.phone, p.preferred_language, p.created_at,
  coalesce((select array_agg(t.name order by t.name) from public.team_members m
              join public.teams t on t.id = m.team_id where m.user_id = p.id), '{}') as teams
"""
CHANGEABLE = frozenset({"role", "is_active"})


async def staff(conn: Conn, *, tenant_id: UUID, include_inactive: bool) -> list[Row]:
    cur = await conn.execute(
        f"select {COLUMNS} from public.profiles p where p.tenant_id = %s and p.role <> 'citizen'"
        " and p.deleted_at is null and (%s or p.is_active) order by p.full_name nulls last, p.id",
        (tenant_id, include_inactive))
    return await cur.fetchall()


async def one(conn: Conn, *, user_id: UUID, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {COLUMNS} from public.profiles p where p.id = %s and p.tenant_id = %s"
        " and p.deleted_at is null", (user_id, tenant_id))
    return await cur.fetchone()


async def update(conn: Conn, *, user_id: UUID, fields: dict[str, Any]) -> int:
    assert fields and set(fields) <= CHANGEABLE
    assignments = ", ".join(f"{name} = %({name})s" for name in fields)
    cur = await conn.execute(f"update public.profiles set {assignments} where id = %(id)s",
                             {**fields, "id": user_id})
    return cur.rowcount


INVITATION = "id, email, full_name, role, team_id, invited_by, created_at"


async def invitation(conn: Conn, *, tenant_id: UUID, email: str) -> Row | None:
    cur = await conn.execute(
        f"select {INVITATION} from public.staff_invitations where tenant_id = %s and email = %s",
        (tenant_id, email))
    return await cur.fetchone()


async def insert_invitation(conn: Conn, *, tenant_id: UUID, email: str, full_name: str,
                            role: str, team_id: UUID | None) -> Row | None:
    """The invitation, or None when the database's policy refuses it (role above the
    inviter's, the inviter's own address, another municipality's team, not an admin)."""
    try:
        async with conn.transaction():
            cur = await conn.execute(
                "insert into public.staff_invitations (tenant_id, email, full_name, role,"
                f" team_id) values (%s, %s, %s, %s, %s) returning {INVITATION}",
                (tenant_id, email, full_name, role, team_id))
            return await cur.fetchone()
    except errors.InsufficientPrivilege:
        return None


async def profile_standing(conn: Conn, *, user_id: UUID, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(
        "select role, is_active from public.profiles where id = %s and tenant_id = %s",
        (user_id, tenant_id))
    return await cur.fetchone()


async def join_team(conn: Conn, *, team_id: UUID, user_id: UUID, tenant_id: UUID) -> None:
    await conn.execute(
        "insert into public.team_members (team_id, user_id, tenant_id) values (%s, %s, %s)"
        " on conflict do nothing", (team_id, user_id, tenant_id))


async def staff_by_email(conn: Conn, *, tenant_id: UUID, emails: list[str]) -> dict[str, UUID]:
    """Staff of the municipality by sign-in email (operators only: reads auth.users)."""
    cur = await conn.execute(
        "select lower(u.email) as email, p.id from public.profiles p join auth.users u"
        " on u.id = p.id where p.tenant_id = %s and p.role <> 'citizen'"
        " and lower(u.email) = any(%s)", (tenant_id, [e.lower() for e in emails]))
    return {r["email"]: r["id"] for r in await cur.fetchall()}
