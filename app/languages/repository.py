"""SQL for the languages table (readable by every signed-in user and the service role)."""

from __future__ import annotations

from app.vocab import Conn, Row


async def active(conn: Conn) -> list[Row]:
    """The languages offered, in menu order."""
    cur = await conn.execute(
        "select code, name, aliases from public.languages where active order by menu_order")
    return await cur.fetchall()


async def is_active(conn: Conn, code: str) -> bool:
    cur = await conn.execute(
        "select 1 from public.languages where code = %s and active", (code,))
    return await cur.fetchone() is not None
