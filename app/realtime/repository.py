"""The only SQL of the realtime gateway: authorization probes and message reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, errors

_INSERT_PROBE = """
insert into realtime.messages (topic, extension, private, event, payload)
values (%(topic)s, 'broadcast', true, 'authorization_probe', '{}'::jsonb)
returning id
"""

_SET_TOPIC = "select set_config('realtime.topic', %(topic)s, true)"

_PROBE_VISIBLE = """
select exists (
  select 1 from realtime.messages
  where topic = %(topic)s and extension = 'broadcast' and id = %(id)s
) as visible
"""

_CALLER_INSERT = """
insert into realtime.messages (topic, extension, private, event, payload)
values (%(topic)s, 'broadcast', true, 'authorization_probe', '{}'::jsonb)
"""

_MESSAGE_COLUMNS = "id, topic, event, private, extension, payload, inserted_at"


async def insert_probe(conn: AsyncConnection[Any], *, topic: str) -> UUID:
    """As the owner: a probe message the caller's SELECT may or may not see."""
    cur = await conn.execute(_INSERT_PROBE, {"topic": topic})
    row = await cur.fetchone()
    assert row is not None
    return row["id"]


async def set_topic(conn: AsyncConnection[Any], *, topic: str) -> None:
    await conn.execute(_SET_TOPIC, {"topic": topic})


async def probe_visible(conn: AsyncConnection[Any], *, topic: str, probe_id: UUID) -> bool:
    cur = await conn.execute(_PROBE_VISIBLE, {"topic": topic, "id": probe_id})
    row = await cur.fetchone()
    return bool(row and row["visible"])


async def caller_may_insert(conn: AsyncConnection[Any], *, topic: str) -> bool:
    """As the caller, inside a savepoint: does an INSERT pass the policies?"""
    try:
        async with conn.transaction():
            await conn.execute(_CALLER_INSERT, {"topic": topic})
    except errors.InsufficientPrivilege:
        return False
    return True


async def messages_since(conn: AsyncConnection[Any], since: datetime) -> list[dict[str, Any]]:
    """Broadcast messages inserted at or after `since`, oldest first (catch-up)."""
    cur = await conn.execute(
        f"select {_MESSAGE_COLUMNS} from realtime.messages "
        "where inserted_at >= %(since)s and extension = 'broadcast' "
        "order by inserted_at, id",
        {"since": since},
    )
    return list(await cur.fetchall())


async def message_by_id(conn: AsyncConnection[Any], message_id: str) -> dict[str, Any] | None:
    cur = await conn.execute(
        f"select {_MESSAGE_COLUMNS} from realtime.messages where id = %(id)s", {"id": message_id}
    )
    return await cur.fetchone()


async def database_now(conn: AsyncConnection[Any]) -> datetime:
    cur = await conn.execute("select localtimestamp as now")
    row = await cur.fetchone()
    assert row is not None
    return row["now"]


async def checkpoint(conn: AsyncConnection[Any], *, channel: str, marker: str) -> datetime:
    """The oldest start of any open transaction (a lower bound for the inserted_at of
    every message not yet committed), and a marker notification committed after it."""
    async with conn.transaction():
        cur = await conn.execute(
            "select coalesce(min(xact_start), now())::timestamp - interval '1 second' as mark "
            "from pg_stat_activity where datname = current_database() "
            "and xact_start is not null and pid <> pg_backend_pid()"
        )
        row = await cur.fetchone()
        await conn.execute("select pg_notify(%s, %s)", (channel, marker))
    assert row is not None
    return row["mark"]


async def ensure_partitions(conn: AsyncConnection[Any], *, days_ahead: int = 3) -> None:
    """Local platform only: today's and the next days' partitions of realtime.messages."""
    await conn.execute("select realtime.ensure_partitions(%s)", (days_ahead,))
