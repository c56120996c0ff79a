"""SQL for verification: the private functions in migration 0005 hold the rules."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row

COLUMNS = "id as user_id, full_name, verification_status, verified_address," \
          " verification_document_id, verified_at, verification_reasons"


async def submit(conn: Conn, document_id: UUID) -> Row:
    cur = await conn.execute(f"select {COLUMNS} from private.submit_verification(%s)",
                             (document_id,))
    row = await cur.fetchone()
    assert row is not None
    return row


async def own(conn: Conn) -> Row | None:
    cur = await conn.execute(
        f"select {COLUMNS} from public.profiles where id = (select auth.uid())")
    return await cur.fetchone()


async def cases(conn: Conn, status: str) -> list[Row]:
    cur = await conn.execute(f"select {COLUMNS} from private.verification_cases(%s)", (status,))
    return await cur.fetchall()


async def decide(conn: Conn, user_id: UUID, decision: str,
                 note: str | None) -> Row:
    cur = await conn.execute(f"select {COLUMNS} from private.decide_verification(%s, %s, %s)",
                             (user_id, decision, note))
    row = await cur.fetchone()
    assert row is not None
    return row


async def pending(conn: Conn, user_id: UUID | None) -> list[Row]:
    """Pending cases with their document and municipality (service role)."""
    cur = await conn.execute(
        """
        select p.id as user_id, p.full_name, p.verification_document_id as document_id,
               m.bucket, m.path, mu.name as municipality_name
          from public.profiles p
          join public.media_attachments m on m.id = p.verification_document_id
          join public.municipalities mu on mu.id = p.tenant_id
         where p.verification_status = 'pending'
           and (%(user)s::uuid is null or p.id = %(user)s::uuid)
         order by p.updated_at
         limit 20
        """, {"user": user_id})
    return await cur.fetchall()


async def record(conn: Conn, *, user_id: UUID, document_id: UUID, status: str,
                 address: str | None, reasons: list[str]) -> None:
    await conn.execute(
        "select private.record_verification_result(%s, %s, %s, %s, %s)",
        (user_id, document_id, status, address, reasons))
