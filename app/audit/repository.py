"""SQL for the audit chain (migration 0008). Runs as the owner or the service role."""

from __future__ import annotations

from app.vocab import Conn, Row


async def seal(conn: Conn) -> int:
    cur = await conn.execute("select private.seal_audit_log() as sealed")
    row = await cur.fetchone()
    return int(row["sealed"]) if row else 0


async def verify(conn: Conn) -> list[Row]:
    cur = await conn.execute("select * from private.verify_audit_chain()")
    return await cur.fetchall()
