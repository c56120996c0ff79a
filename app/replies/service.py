"""Replying to a reporter. The database decides who may, to whom and in which language
(`public.reply_to_reporter`, migration 0019); this layer gives a clear refusal first."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.auth import Caller
from app.errors import Forbidden
from app.replies import repository
from app.vocab import Conn


async def reply(conn: Conn, *, caller: Caller, ticket_id: UUID, template_key: str,
                reply_key: UUID) -> dict[str, Any]:
    if not caller.may_assign:
        raise Forbidden("only a manager, a liaison or an admin replies to a reporter")
    caller.municipality()
    queued = await repository.reply(conn, ticket_id=ticket_id, template_key=template_key,
                                    reply_key=reply_key)
    return {**queued, "ticket_id": ticket_id, "template_key": template_key}
