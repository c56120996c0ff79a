"""`salga demo`: every domain's demo data, in dependency order, idempotent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.identity import demo as identity_demo
from app.tickets import demo as tickets_demo
from app.vocab import Conn

Seeder = Callable[[Conn], Awaitable[list[str]]]

SEEDERS: list[Seeder] = [
    identity_demo.seed,
    tickets_demo.seed,
]


async def seed_all(conn: Conn) -> list[str]:
    lines: list[str] = []
    for seeder in SEEDERS:
        lines.extend(await seeder(conn))
    return lines
