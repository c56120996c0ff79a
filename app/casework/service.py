"""Casework rules: liaisons and admins only (RLS), acknowledgement once, 404 for everyone
else so a protected report's existence never shows."""

from __future__ import annotations

from uuid import UUID

from app.auth import Caller
from app.casework import repository
from app.casework.schemas import CaseworkChange
from app.errors import Invalid, NotFound
from app.vocab import Conn, Row


async def queue(conn: Conn, *, caller: Caller, open_only: bool = True) -> list[Row]:
    if not caller.sees_sensitive:
        return []
    return await repository.queue(conn, tenant_id=caller.municipality(), open_only=open_only)


async def get(conn: Conn, *, caller: Caller, ticket_id: UUID) -> Row:
    row = await repository.one(conn, ticket_id=ticket_id, tenant_id=caller.municipality())
    if row is None or not caller.sees_sensitive:
        raise NotFound("ticket not found")
    return row


async def change(conn: Conn, *, caller: Caller, ticket_id: UUID,
                 change: CaseworkChange) -> Row:
    await get(conn, caller=caller, ticket_id=ticket_id)
    fields = change.model_dump(exclude_unset=True, exclude={"acknowledge"})
    if not fields and not change.acknowledge:
        raise Invalid("nothing to change")
    await repository.update(conn, ticket_id=ticket_id, fields=fields,
                            acknowledge=change.acknowledge)
    return await get(conn, caller=caller, ticket_id=ticket_id)
