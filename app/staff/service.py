"""Staff rules: managers and admins see the staff list; role changes and deactivation are
the admin's, within what the database's profile guard allows (never above one's own role,
never oneself). Deactivation takes effect at the person's next request."""

from __future__ import annotations

from uuid import UUID

from app.auth import Caller
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.identity import people
from app.staff import repository
from app.staff.schemas import Invitation, StaffChange
from app.vocab import Conn, Row

READERS = frozenset({"manager", "admin"})


async def list_staff(conn: Conn, *, caller: Caller, include_inactive: bool) -> list[Row]:
    if caller.role not in READERS:
        raise Forbidden("the staff list is for managers and admins")
    return await repository.staff(conn, tenant_id=caller.municipality(),
                                  include_inactive=include_inactive)


async def change(conn: Conn, *, caller: Caller, user_id: UUID, change: StaffChange) -> Row:
    fields = change.model_dump(exclude_unset=True, exclude_none=True)
    if not fields:
        raise Invalid("nothing to change")
    if caller.role not in READERS:
        raise Forbidden("only an administrator of the municipality can change this")
    if await repository.one(conn, user_id=user_id, tenant_id=caller.municipality()) is None:
        raise NotFound("no such person")
    if await repository.update(conn, user_id=user_id, fields=fields) == 0:
        raise Forbidden("only an administrator of the municipality can change this")
    found = await repository.one(conn, user_id=user_id, tenant_id=caller.municipality())
    assert found is not None
    return found



async def invite(conn: Conn, *, caller: Caller, invitation: Invitation,
                 redirect_to: str | None) -> tuple[Row, bool]:
    """Invite a person as staff: the invitation is written as the caller (the database
    decides: admins only, never above their own role, never themselves), then Auth
    creates the person with that role and emails the link. A retry with the same
    details returns the same invitation and person (False: it was not new)."""
    if caller.role != "admin":
        raise Forbidden("only an administrator of the municipality invites staff")
    tenant_id = caller.municipality()
    row = await repository.invitation(conn, tenant_id=tenant_id, email=invitation.email)
    created = row is None
    if row is not None and (row["role"], row["full_name"], row["team_id"]) != (
            invitation.role, invitation.full_name, invitation.team_id):
        raise Conflict("email: this person was already invited with other details")
    if row is None:
        row = await repository.insert_invitation(
            conn, tenant_id=tenant_id, email=invitation.email, full_name=invitation.full_name,
            role=invitation.role, team_id=invitation.team_id)
    if row is None:
        raise Forbidden("you may not invite this person: never a role above your own, never "
                        "yourself, and only to a team of your municipality")
    try:
        user_id = await people.create_person(
            conn, email=invitation.email, tenant_id=tenant_id, role=invitation.role,
            full_name=invitation.full_name, invite=True, redirect_to=redirect_to)
    except people.PersonError as exc:
        raise Conflict(f"email: {exc}") from exc
    standing = await repository.profile_standing(conn, user_id=user_id, tenant_id=tenant_id)
    if standing is None or standing["role"] != invitation.role:
        raise Conflict("email: this address already belongs to someone with another role "
                       "or municipality")
    if invitation.team_id is not None:
        await repository.join_team(conn, team_id=invitation.team_id, user_id=user_id,
                                   tenant_id=tenant_id)
    return {**row, "user_id": user_id}, created
