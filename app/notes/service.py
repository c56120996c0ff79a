"""Notes on a ticket. On a protected report the note is encrypted before it reaches the
database (like the report) and decrypted only for the people who may read it."""

from __future__ import annotations

from uuid import UUID

from app.auth import Caller
from app.crypto import FieldCipher, default_cipher
from app.errors import Forbidden, NotFound
from app.notes import repository
from app.vocab import Conn, Row


def readable(note: Row, *, cipher: FieldCipher) -> Row:
    """The note as the API shows it: ciphertext never leaves; unreadable text is null."""
    shown = {k: v for k, v in note.items() if k != "encrypted_body"}
    if note["is_sensitive"]:
        shown["body"] = cipher.try_decrypt(note["encrypted_body"])
    return shown


async def list_notes(conn: Conn, *, caller: Caller, ticket_id: UUID,
                     cipher: FieldCipher | None = None) -> list[Row]:
    await _staff_ticket(conn, caller, ticket_id)
    cipher = cipher or default_cipher()
    return [readable(n, cipher=cipher) for n in await repository.notes(conn, ticket_id=ticket_id)]


async def add_note(conn: Conn, *, caller: Caller, ticket_id: UUID, body: str,
                   cipher: FieldCipher | None = None) -> Row:
    sealed = await _staff_ticket(conn, caller, ticket_id)
    cipher = cipher or default_cipher()
    note_id = await repository.insert_note(
        conn, ticket_id=ticket_id, body=None if sealed else body,
        encrypted_body=cipher.encrypt(body) if sealed else None)
    notes = await repository.notes(conn, ticket_id=ticket_id)
    return next(readable(n, cipher=cipher) for n in notes if n["id"] == note_id)


async def _staff_ticket(conn: Conn, caller: Caller, ticket_id: UUID) -> bool:
    """Whether the ticket is protected; 404 when the caller cannot see it, 403 for citizens."""
    sealed = await repository.ticket_protection(
        conn, ticket_id=ticket_id, tenant_id=caller.municipality(),
        sensitive=caller.sensitivity_filter)
    if sealed is None:
        raise NotFound("ticket not found")
    if not caller.is_staff:
        raise Forbidden("notes are for municipal staff")
    return sealed
