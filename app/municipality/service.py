"""Staff read their municipality's settings; its admins change the WhatsApp number (the
database's policy decides; a number another municipality uses is a 409)."""

from __future__ import annotations

from app.auth import Caller
from app.errors import Forbidden, NotFound
from app.municipality import repository
from app.municipality.schemas import MunicipalityChange
from app.vocab import Conn, Row


async def get(conn: Conn, *, caller: Caller) -> Row:
    if not caller.is_staff:
        raise Forbidden("the municipality's settings are for its staff")
    row = await repository.one(conn, tenant_id=caller.municipality())
    if row is None:
        raise NotFound("no such municipality")
    return row


async def change(conn: Conn, *, caller: Caller, change: MunicipalityChange) -> Row:
    await get(conn, caller=caller)
    if caller.role != "admin" or await repository.set_whatsapp_number(
            conn, tenant_id=caller.municipality(), number=change.whatsapp_number) == 0:
        raise Forbidden("only an administrator of the municipality changes its WhatsApp number")
    return await get(conn, caller=caller)
