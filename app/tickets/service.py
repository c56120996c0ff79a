"""Ticket rules on the Python side: encryption of sensitive text, role-aware
filters, cursors. Everything else (transitions, SLA, routing, events,
notifications) happens in the database. Services never commit."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from uuid import UUID

from app.auth import Caller
from app.crypto import FieldCipher, default_cipher
from app.duplicates import service as duplicates
from app.errors import Forbidden, Invalid, NotFound
from app.media import service as media
from app.notes import service as notes
from app.storage.service import StorageService
from app.tickets import repository
from app.vocab import SENSITIVE_CATEGORY, Conn, Row

UNDECRYPTABLE = "[this text cannot be decrypted with the current keys]"


async def file_report(
    conn: Conn,
    *,
    tenant_id: UUID,
    reporter_id: UUID | None,
    category: str,
    description: str,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str | None = None,
    is_sensitive: bool = False,
    language: str = "en",
    source: str = "web",
    cipher: FieldCipher | None = None,
) -> dict[str, Any]:
    """File a report; it is routed and given SLA deadlines at once (in the database).

    A sensitive (GBV) description is stored only as Fernet ciphertext. Returns
    the receipt: id, tracking_number, status, category, deadlines — no text —
    and the open ordinary reports nearby that look the same (`possible_duplicates`).
    """
    sensitive = is_sensitive or category == SENSITIVE_CATEGORY
    encrypted = (cipher or default_cipher()).encrypt(description) if sensitive else None
    ticket_id = uuid.uuid4()
    await repository.insert_ticket(
        conn, ticket_id=ticket_id, tenant_id=tenant_id, reporter_id=reporter_id,
        category=category, description=None if sensitive else description,
        encrypted_description=encrypted, is_sensitive=sensitive, latitude=latitude,
        longitude=longitude, address=address, language=language, source=source,
    )
    receipt = await repository.report_receipt(conn, ticket_id)
    if receipt is None:
        raise NotFound("ticket not found")
    found = await duplicates.find(
        conn, tenant_id=tenant_id, category=category, latitude=latitude, longitude=longitude,
        is_sensitive=sensitive, exclude=ticket_id)
    return {**receipt, "possible_duplicates": found}


def encode_cursor(sort: str, key: datetime, ticket_id: UUID) -> str:
    raw = json.dumps([sort, key.isoformat(), str(ticket_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[datetime, UUID]:
    """The keyset a cursor holds; 422 for one this API did not give out for this sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        given_sort, at, ticket_id = json.loads(raw)
        key = datetime.fromisoformat(at)
        parsed = UUID(ticket_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise Invalid("cursor is not one this API gave out") from exc
    if given_sort != sort:
        raise Invalid("cursor belongs to another sort order")
    return key, parsed


async def list_tickets(
    conn: Conn,
    *,
    caller: Caller,
    filters: dict[str, Any],
    sort: str = "newest",
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """One page of the caller's tickets, through everything by keyset (no cap)."""
    after = decode_cursor(cursor, sort) if cursor else None
    rows = await repository.list_tickets(
        conn, tenant_id=caller.municipality(), sensitive=caller.sensitivity_filter,
        filters=filters, sort=sort, after=after, limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": page,
        "next_cursor": encode_cursor(sort, last["sort_key"], last["id"]) if more and last
        else None,
    }


async def export_rows(
    conn: Conn, *, caller: Caller, filters: dict[str, Any], sort: str, page_size: int = 1000,
) -> AsyncIterator[list[Row]]:
    """Every ticket the filter matches, a page at a time (for the CSV export)."""
    after: tuple[Any, UUID] | None = None
    while True:
        rows = await repository.list_tickets(
            conn, tenant_id=caller.municipality(), sensitive=caller.sensitivity_filter,
            filters=filters, sort=sort, after=after, limit=page_size)
        if rows:
            yield rows
        if len(rows) < page_size:
            return
        after = (rows[-1]["sort_key"], rows[-1]["id"])


async def set_priority(conn: Conn, *, caller: Caller, ticket_id: UUID, priority: str) -> Row:
    await _summary(conn, caller, ticket_id)
    if not caller.may_assign:
        raise Forbidden("only a manager, a liaison or an admin sets a ticket's priority")
    await repository.set_priority(conn, ticket_id=ticket_id, priority=priority)
    return await _summary(conn, caller, ticket_id)


async def get_ticket(
    conn: Conn,
    *,
    caller: Caller,
    ticket_id: UUID,
    storage: StorageService | None = None,
    cipher: FieldCipher | None = None,
) -> dict[str, Any]:
    """Detail with SLA status, files (with short-lived URLs once checked), and for staff the
    assignments and internal notes; decrypted text for saps/admin, each read recorded."""
    row = await repository.get_ticket(
        conn, ticket_id=ticket_id, tenant_id=caller.municipality(),
        sensitive=caller.sensitivity_filter)
    if row is None:
        raise NotFound("ticket not found")
    ticket = dict(row)
    encrypted = ticket.pop("encrypted_description", None)
    if ticket["is_sensitive"]:
        ticket["description"] = None
        if caller.sees_sensitive and encrypted:
            ticket["description"] = (cipher or default_cipher()).try_decrypt(encrypted) \
                or UNDECRYPTABLE
            await repository.record_decrypted_read(conn, ticket_id)
    if storage is not None:
        ticket["media"] = await media.ticket_media(conn, storage, ticket_id=ticket_id)
    if caller.is_staff:
        ticket["assignments"] = await repository.assignments(conn, ticket_id)
        ticket["notes"] = await notes.list_notes(conn, caller=caller, ticket_id=ticket_id,
                                                 cipher=cipher)
    return ticket


async def change_status(
    conn: Conn,
    *,
    caller: Caller,
    ticket_id: UUID,
    status: str,
    reason: str | None,
) -> dict[str, Any]:
    await _summary(conn, caller, ticket_id)
    await repository.set_status(conn, ticket_id=ticket_id, status=status, reason=reason)
    return await _summary(conn, caller, ticket_id)


async def assign(
    conn: Conn,
    *,
    caller: Caller,
    ticket_id: UUID,
    team_id: UUID | None,
    assigned_to: UUID | None,
    reason: str | None,
) -> dict[str, Any]:
    await _summary(conn, caller, ticket_id)
    if not caller.may_assign:
        raise Forbidden("only a manager, a liaison or an admin can assign tickets")
    await repository.assign(
        conn, ticket_id=ticket_id, team_id=team_id, assigned_to=assigned_to,
        reason=reason or ("assigned by hand" if team_id else "auto-routed"))
    return await _summary(conn, caller, ticket_id)


async def history(
    conn: Conn, *, caller: Caller, ticket_id: UUID
) -> list[Row]:
    """Assignments and audit entries, oldest first (staff only)."""
    await _summary(conn, caller, ticket_id)
    if not caller.is_staff:
        raise NotFound("ticket not found")
    entries = [
        {"at": a["created_at"], "kind": "assignment", "action": "assigned",
         "actor_id": a["assigned_by"],
         "details": {"team_id": str(a["team_id"]) if a["team_id"] else None,
                     "team_name": a["team_name"],
                     "assigned_to": str(a["assigned_to"]) if a["assigned_to"] else None,
                     "reason": a["reason"], "is_current": a["is_current"]}}
        for a in await repository.assignments(conn, ticket_id)
    ]
    entries += [
        {"at": e["at"], "kind": "audit", "action": e["action"], "actor_id": e["actor_id"],
         "details": e["details"] or {}}
        for e in await repository.audit_entries(conn, ticket_id)
    ]
    return sorted(entries, key=lambda e: e["at"])


async def escalate_overdue(conn: Conn) -> int:
    """Escalate every ticket past a deadline (owner or service role). Idempotent."""
    return await repository.escalate_overdue(conn)


async def _summary(conn: Conn, caller: Caller, ticket_id: UUID) -> Row:
    """The ticket as the caller sees it (RLS and the explicit filter), else 404."""
    row = await repository.summary(
        conn, ticket_id=ticket_id, tenant_id=caller.municipality(),
        sensitive=caller.sensitivity_filter)
    if row is None:
        raise NotFound("ticket not found")
    return dict(row)
