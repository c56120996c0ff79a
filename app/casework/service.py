"""Casework rules: liaisons and admins only (RLS), acknowledgement once, 404 for everyone
else so a protected report's existence never shows. A child case (flagged by the person
or by staff) is never unflagged and has its Department of Social Development referral."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.auth import Caller
from app.casework import repository
from app.casework.schemas import CaseworkChange, ChildReferralChange
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
    if fields.get("child_involved") is None:
        fields.pop("child_involved", None)
    if not fields and not change.acknowledge:
        raise Invalid("nothing to change")
    await repository.update(conn, ticket_id=ticket_id, fields=fields,
                            acknowledge=change.acknowledge)
    return await get(conn, caller=caller, ticket_id=ticket_id)


async def acknowledge(conn: Conn, *, caller: Caller, ticket_id: UUID) -> Row:
    """Acknowledged once, by whoever is first; again changes nothing."""
    return await change(conn, caller=caller, ticket_id=ticket_id,
                        change=CaseworkChange(acknowledge=True))


async def flag_child_case(conn: Conn, *, ticket_id: UUID) -> None:
    """From the reporter's own answer (the webhook's service-role transaction)."""
    await repository.flag_child_case(conn, ticket_id=ticket_id)


async def referrals(conn: Conn, *, caller: Caller, status: str | None = None) -> list[Row]:
    if not caller.sees_sensitive:
        return []
    return await repository.referrals(conn, tenant_id=caller.municipality(), status=status)


async def referral(conn: Conn, *, caller: Caller, ticket_id: UUID) -> Row:
    row = await repository.referral(conn, ticket_id=ticket_id, tenant_id=caller.municipality())
    if row is None or not caller.sees_sensitive:
        raise NotFound("no child referral for this ticket")
    return row


async def change_referral(conn: Conn, *, caller: Caller, ticket_id: UUID,
                          change: ChildReferralChange) -> Row:
    """Form 22 details as they become known; the database guards pending -> referred."""
    await referral(conn, caller=caller, ticket_id=ticket_id)
    fields: dict[str, Any] = change.model_dump(exclude_unset=True)
    if not fields:
        raise Invalid("nothing to change")
    if "abuse_nature" in fields and fields["abuse_nature"] is not None:
        fields["abuse_nature"] = sorted(set(fields["abuse_nature"]))
    await repository.update_referral(conn, ticket_id=ticket_id, fields=fields)
    return await referral(conn, caller=caller, ticket_id=ticket_id)
