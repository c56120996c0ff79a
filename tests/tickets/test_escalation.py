"""Escalation of overdue tickets: once, by `salga escalate` or pg_cron."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

import httpx
from psycopg import AsyncConnection

from tests.tickets.conftest import City, fetch, file
from tests.tickets.test_sla import age


def salga(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SUPABASE_URL": ""}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


async def test_overdue_tickets_escalate_once(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any], database_url: str
) -> None:
    late_response = await file(api, city)
    late_resolution = await file(api, city)
    in_time = await file(api, city)
    gbv = await file(api, city, category="gbv", sensitive=True)
    await age(owner, late_response["id"], created_ago=timedelta(hours=2),
              respond_in=-timedelta(minutes=1), resolve_in=timedelta(hours=40))
    await api.patch(f"/api/v1/tickets/{late_resolution['id']}/status",
                    json={"status": "in_progress"}, headers=city.auth("manager"))
    await age(owner, late_resolution["id"], created_ago=timedelta(hours=90),
              respond_in=-timedelta(hours=60), resolve_in=-timedelta(minutes=1))
    await age(owner, gbv["id"], created_ago=timedelta(hours=2),
              respond_in=-timedelta(minutes=1), resolve_in=timedelta(hours=20))

    first = salga(database_url, "escalate")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("escalated ")
    ids = [late_response["id"], late_resolution["id"], in_time["id"], gbv["id"]]
    rows = {str(r["id"]): r for r in await fetch(
        owner, "select * from public.tickets where id = any(%s::uuid[])", ids)}
    assert rows[late_response["id"]]["status"] == "escalated"
    assert rows[late_response["id"]]["escalation_reason"] == "response deadline passed"
    assert rows[late_resolution["id"]]["escalation_reason"] == "resolution deadline passed"
    assert rows[gbv["id"]]["status"] == "escalated"
    assert rows[in_time["id"]]["status"] == "open"
    assert all(rows[i]["escalated_at"] is not None for i in ids if i != in_time["id"])

    second = salga(database_url, "escalate")
    assert second.stdout.strip() == "escalated 0 tickets"
    again = {str(r["id"]): r for r in await fetch(
        owner, "select * from public.tickets where id = any(%s::uuid[])", ids)}
    assert all(again[i]["escalated_at"] == rows[i]["escalated_at"] for i in ids)

    # Taken back in hand, an escalated ticket is not escalated again for the same breach.
    await api.patch(f"/api/v1/tickets/{late_response['id']}/status",
                    json={"status": "in_progress"}, headers=city.auth("manager"))
    [escalated] = await fetch(owner, "select private.escalate_overdue() as n")
    assert escalated["n"] == 0


async def test_the_sweep_is_scheduled_only_where_pg_cron_runs(
    owner: AsyncConnection[Any]
) -> None:
    [row] = await fetch(owner, "select count(*) as n from pg_extension where extname = 'pg_cron'")
    assert row["n"] == 0, "test databases are not pg_cron's database: no schedule there"
