"""Taking a ticket on: only work still to do, only what the caller may change (RLS)."""

from __future__ import annotations

from uuid import UUID

from app.auth import Caller
from app.errors import Conflict, Forbidden, NotFound
from app.fieldwork import repository
from app.vocab import Conn

TAKERS = frozenset({"field_worker", "manager", "saps_liaison", "admin"})


async def take(conn: Conn, *, caller: Caller, ticket_id: UUID) -> None:
    if caller.role not in TAKERS:
        raise Forbidden("only municipal staff take tickets on")
    found = await repository.status_of(conn, ticket_id=ticket_id,
                                       tenant_id=caller.municipality())
    if found is None:
        raise NotFound("ticket not found")
    if found["status"] in ("resolved", "closed"):
        raise Conflict(f"the ticket is already {found['status']}")
    if await repository.take(conn, ticket_id=ticket_id) == 0:
        raise Forbidden("you may not take this ticket on")
