"""Staff rules: managers and admins see the staff list; role changes and deactivation are
the admin's, within what the database's profile guard allows (never above one's own role,
never oneself). Deactivation takes effect at the person's next request."""

from __future__ import annotations

from uuid import UUID

from app.auth import Caller
from app.errors import Forbidden, Invalid, NotFound
from app.staff import repository
from app.staff.schemas import StaffChange
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
