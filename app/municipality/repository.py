"""SQL for the municipality's settings, as the caller (0018: only its admins change them)."""

from __future__ import annotations

from uuid import UUID

from app.vocab import Conn, Row

COLUMNS = "id, code, name, province, whatsapp_number"


async def one(conn: Conn, *, tenant_id: UUID) -> Row | None:
    cur = await conn.execute(f"select {COLUMNS} from public.municipalities where id = %s",
                             (tenant_id,))
    return await cur.fetchone()


async def set_whatsapp_number(conn: Conn, *, tenant_id: UUID, number: str | None) -> int:
    cur = await conn.execute(
        "update public.municipalities set whatsapp_number = %s where id = %s", (number, tenant_id))
    return cur.rowcount
