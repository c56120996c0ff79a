"""Ticket rules on the Python side: encryption of sensitive text, role-aware
filters, cursors. Everything else (transitions, SLA, routing, events,
notifications) happens in the database. Services never commit."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from app.crypto import DecryptionError, FieldCipher, default_cipher
from app.tickets import repository

STAFF_ROLES = ("field_worker", "manager", "admin", "saps_liaison")
ASSIGNING_ROLES = ("manager", "admin", "saps_liaison")
UNDECRYPTABLE = "[this text cannot be decrypted with the current keys]"


class TicketError(Exception):
    """Something the caller got wrong; `status` is the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def file_report(
    conn: AsyncConnection[Any],
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
    the receipt: id, tracking_number, status, category, deadlines — no text.
    """
    sensitive = is_sensitive or category == "gbv"
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
        raise TicketError(404, "ticket not found")
    return dict(receipt)


def sensitivity_filter(role: str | None) -> bool | None:
    """The explicit filter beside RLS: saps see only sensitive, admins both, others none."""
    if role == "admin":
        return None
    return role == "saps_liaison"


def role_of(claims: dict[str, Any]) -> str | None:
    role = (claims.get("app_metadata") or {}).get("role")
    return str(role) if role else None


def tenant_of(claims: dict[str, Any]) -> UUID:
    raw = (claims.get("app_metadata") or {}).get("tenant_id")
    if not raw:
        raise TicketError(403, "this account belongs to no municipality")
    return UUID(str(raw))


def encode_cursor(created_at: datetime, ticket_id: UUID) -> str:
    raw = f"{created_at.isoformat()}|{ticket_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, ticket_id = raw.partition("|")
        return datetime.fromisoformat(at), UUID(ticket_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise TicketError(422, "cursor is not one this API gave out") from exc


async def list_tickets(
    conn: AsyncConnection[Any],
    *,
    claims: dict[str, Any],
    filters: dict[str, Any],
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    after = decode_cursor(cursor) if cursor else None
    rows = await repository.list_tickets(
        conn, tenant_id=tenant_of(claims), sensitive=sensitivity_filter(role_of(claims)),
        filters=filters, after=after, limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": page,
        "next_cursor": encode_cursor(last["created_at"], last["id"]) if more and last else None,
    }


async def get_ticket(
    conn: AsyncConnection[Any],
    *,
    claims: dict[str, Any],
    ticket_id: UUID,
    cipher: FieldCipher | None = None,
) -> dict[str, Any]:
    """Detail with SLA status; history for staff; decrypted text for saps/admin, audited."""
    role = role_of(claims)
    row = await repository.get_ticket(
        conn, ticket_id=ticket_id, tenant_id=tenant_of(claims),
        sensitive=sensitivity_filter(role))
    if row is None:
        raise TicketError(404, "ticket not found")
    ticket = dict(row)
    encrypted = ticket.pop("encrypted_description", None)
    if ticket["is_sensitive"]:
        ticket["description"] = None
        if role in ("saps_liaison", "admin") and encrypted:
            try:
                ticket["description"] = (cipher or default_cipher()).decrypt(encrypted)
            except DecryptionError:
                ticket["description"] = UNDECRYPTABLE
            await repository.record_decrypted_read(conn, ticket_id)
    if role in STAFF_ROLES:
        ticket["assignments"] = await repository.assignments(conn, ticket_id)
    return ticket


async def change_status(
    conn: AsyncConnection[Any],
    *,
    claims: dict[str, Any],
    ticket_id: UUID,
    status: str,
    reason: str | None,
) -> dict[str, Any]:
    await _summary(conn, claims, ticket_id)
    await repository.set_status(conn, ticket_id=ticket_id, status=status, reason=reason)
    return await _summary(conn, claims, ticket_id)


async def assign(
    conn: AsyncConnection[Any],
    *,
    claims: dict[str, Any],
    ticket_id: UUID,
    team_id: UUID | None,
    assigned_to: UUID | None,
    reason: str | None,
) -> dict[str, Any]:
    await _summary(conn, claims, ticket_id)
    if role_of(claims) not in ASSIGNING_ROLES:
        raise TicketError(403, "only a manager, a liaison or an admin can assign tickets")
    await repository.assign(
        conn, ticket_id=ticket_id, team_id=team_id, assigned_to=assigned_to,
        reason=reason or ("assigned by hand" if team_id else "auto-routed"))
    return await _summary(conn, claims, ticket_id)


async def history(
    conn: AsyncConnection[Any], *, claims: dict[str, Any], ticket_id: UUID
) -> list[dict[str, Any]]:
    """Assignments and audit entries, oldest first (staff only)."""
    await _summary(conn, claims, ticket_id)
    if role_of(claims) not in STAFF_ROLES:
        raise TicketError(404, "ticket not found")
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


async def escalate_overdue(conn: AsyncConnection[Any]) -> int:
    """Escalate every ticket past a deadline (owner or service role). Idempotent."""
    return await repository.escalate_overdue(conn)


async def _summary(
    conn: AsyncConnection[Any], claims: dict[str, Any], ticket_id: UUID
) -> dict[str, Any]:
    """The ticket as the caller sees it (RLS and the explicit filter), else 404."""
    row = await repository.summary(
        conn, ticket_id=ticket_id, tenant_id=tenant_of(claims),
        sensitive=sensitivity_filter(role_of(claims)))
    if row is None:
        raise TicketError(404, "ticket not found")
    return dict(row)
