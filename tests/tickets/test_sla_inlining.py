"""`sla_status` inlines into list queries (0010: sla_status_at is STABLE, as its body is)."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection


async def test_the_sla_status_is_computed_inline_not_called_per_row(
    db: AsyncConnection[Any],
) -> None:
    cur = await db.execute(
        "explain (verbose, format json) select public.sla_status(t) from public.tickets t")
    plan = str((await cur.fetchone())["QUERY PLAN"])
    assert "sla_status_at" not in plan and "breached_resolution" in plan
    cur = await db.execute(
        "select provolatile from pg_proc where proname = 'sla_status_at'")
    assert (await cur.fetchone())["provolatile"] == "s"
