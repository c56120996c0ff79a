"""Benchmark body for scripts/bench_tickets (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.support.server import free_port  # noqa: E402
from tests.tickets.conftest import build_city  # noqa: E402

BENCH_DB = "bench_tickets"

# Set-based generation: triggers off (bulk load), so the tracking number,
# deadlines and team are computed here the way the triggers would.
GENERATE = """
set session_replication_role = replica;
with teams as (
  select array_agg(id order by name) as ids, array_agg(categories[1] order by name) as cats
    from public.teams where tenant_id = %(tenant)s and not is_saps
), saps as (select id from public.teams where tenant_id = %(tenant)s and is_saps)
insert into public.tickets (tenant_id, tracking_number, reporter_id, category, description,
  encrypted_description, is_sensitive, status, location, assigned_team_id,
  sla_response_deadline, sla_resolution_deadline, first_responded_at, resolved_at, closed_at,
  created_at, updated_at)
select %(tenant)s, format('%(code)s-2026-%%s', lpad(g::text, 7, '0')), %(citizen)s,
       case when g %% 33 = 0 then 'gbv' else teams.cats[1 + g %% array_length(teams.ids, 1)] end,
       case when g %% 33 = 0 then null else 'Generated report ' || g end,
       case when g %% 33 = 0 then 'ciphertext' end,
       g %% 33 = 0,
       s.status,
       extensions.st_setsrid(extensions.st_makepoint(18.4 + (g %% 1000) / 10000.0,
                                                     -33.9 - (g %% 997) / 10000.0),
                             4326)::extensions.geography,
       case when g %% 33 = 0 then saps.id else teams.ids[1 + g %% array_length(teams.ids, 1)] end,
       c.at + interval '24 hours', c.at + interval '72 hours',
       case when s.status <> 'open' then c.at + interval '1 hour' end,
       case when s.status in ('resolved', 'closed') then c.at + interval '2 days' end,
       case when s.status = 'closed' then c.at + interval '3 days' end,
       c.at, c.at
  from generate_series(1, %(n)s) g
  cross join teams cross join saps
  cross join lateral (select now() - (%(n)s - g) * interval '30 seconds' as at) c
  cross join lateral (select case
      when c.at > now() - interval '3 days' then
        (array['open', 'in_progress', 'open', 'in_progress', 'resolved'])[1 + g %% 5]
      when g %% 100 = 0 then 'open'            -- overdue: the sweep escalates these
      when g %% 100 = 1 then 'in_progress'
      else 'closed' end as status) s;
insert into private.tracking_counters (tenant_id, year, last_value)
values (%(tenant)s, 2026, %(n)s) on conflict (tenant_id, year) do update set last_value = %(n)s;
set session_replication_role = origin;
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def prepare(url: str, n: int, fresh: bool, settings: Settings) -> dict[str, Any]:
    """The bench database with exactly n tickets in one municipality (kept between runs)."""
    if fresh:
        dbadmin.drop_database(settings.database_url, BENCH_DB)
    dbadmin.create_database(settings.database_url, BENCH_DB)
    dbadmin.prepare(url, local_platform=True)
    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*), min(tenant_id::text) from public.tickets").fetchone()
    count, tenant_id = (row[0], row[1]) if row else (0, None)
    if count == n and n > 0:
        return {"tenant": asyncio.run(tokens_for(url, settings, tenant_id)), "generated_s": 0}
    if count:
        dbadmin.drop_database(settings.database_url, BENCH_DB)
        return prepare(url, n, False, settings)
    city = asyncio.run(build_city(url, settings.supabase_jwt_secret))
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        params = {"tenant": city.tenant.id, "citizen": city.tenant.users["citizen"], "n": n}
        for statement in GENERATE.replace("%(code)s", city.tenant.code).split(";\n"):
            if statement.strip():
                conn.execute(statement, params if "%(" in statement else None)
        conn.execute("vacuum analyze public.tickets")
    return {"tenant": city.tenant, "generated_s": round(time.perf_counter() - started, 1)}


async def tokens_for(url: str, settings: Settings, tenant_id: Any) -> Any:
    from psycopg import AsyncConnection
    from psycopg.rows import dict_row

    from app.identity import service as identity
    from tests.support.tenants import Tenant

    async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
        cur = await conn.execute(
            "select m.code, u.email, p.role, p.id from public.profiles p"
            " join auth.users u on u.id = p.id join public.municipalities m on m.id = p.tenant_id"
            " where p.tenant_id = %s and p.role in ('manager', 'admin', 'citizen')"
            " and u.email like p.role || '.%%'", (tenant_id,))
        rows = await cur.fetchall()
        tenant = Tenant(id=tenant_id, code=rows[0]["code"])
        for row in rows:
            tenant.users[row["role"]] = row["id"]
            tenant.tokens[row["role"]] = await identity.issue_token(
                conn, email=row["email"], secret=settings.supabase_jwt_secret)
    return tenant


def serve(app_args: list[str], url: str, pool: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DB_POOL_MAX": str(pool), "SUPABASE_URL": ""}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/uvicorn"), *app_args, "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning", "--no-access-log"],
                            env=env, cwd=ROOT)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return proc, port
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


async def load(make_request: Any, concurrency: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal errors
        step = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = await make_request(index, step)
            latencies.append(time.perf_counter() - started)
            errors += 0 if ok else 1
            step += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "errors": errors,
            "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000, 2),
            "p99_ms": round(percentile(latencies, 99) * 1000, 2)}


async def measure(api: str, bare: str, tenant: Any, ids: list[str], args: argparse.Namespace
                  ) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {tenant.tokens['manager']}"}
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        async def get_bare(i: int, step: int) -> bool:
            return (await client.get(f"{bare}/bare")).status_code == 200

        async def get_tickets(i: int, step: int) -> bool:
            response = await client.get(f"{api}/api/v1/tickets", params={"limit": 50},
                                        headers=headers)
            return response.status_code == 200

        per_worker = max(1, len(ids) // args.concurrency)
        cycle = ["in_progress", "escalated"]

        async def patch_status(i: int, step: int) -> bool:
            # Each worker walks its own tickets: open -> in_progress <-> escalated.
            mine = ids[i * per_worker:(i + 1) * per_worker]
            ticket = mine[step % len(mine)]
            status = cycle[(step // len(mine)) % 2]
            response = await client.patch(f"{api}/api/v1/tickets/{ticket}/status",
                                          json={"status": status}, headers=headers)
            return response.status_code == 200

        await load(get_bare, args.concurrency, 1)  # warm-up
        await load(get_tickets, args.concurrency, 1)
        results = {"bare_one_round_trip": await load(get_bare, args.concurrency, args.seconds),
                   "get_tickets": await load(get_tickets, args.concurrency, args.seconds),
                   "patch_status": await load(patch_status, args.concurrency, args.seconds)}
    return results


def sweep(url: str) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        overdue = conn.execute(
            "select count(*) from public.tickets where status in ('open', 'in_progress')"
            " and escalated_at is null and (sla_resolution_deadline < now()"
            " or (first_responded_at is null and sla_response_deadline < now()))").fetchone()
        started = time.perf_counter()
        first = conn.execute("select private.escalate_overdue()").fetchone()
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = conn.execute("select private.escalate_overdue()").fetchone()
        second_s = time.perf_counter() - started
    return {"overdue_before": overdue[0] if overdue else None,
            "escalated": first[0] if first else None, "sweep_s": round(first_s, 3),
            "idempotent_rerun_escalated": second[0] if second else None,
            "idempotent_rerun_s": round(second_s, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()
    settings = Settings(supabase_url="", environment="development")
    url = dbadmin.with_database(settings.database_url, BENCH_DB)
    print(f"preparing {args.tickets:,} tickets in database {BENCH_DB} ...", flush=True)
    prepared = prepare(url, args.tickets, args.fresh, settings)
    tenant = prepared["tenant"]
    with psycopg.connect(url) as conn:
        ids = [str(r[0]) for r in conn.execute(
            "select id from public.tickets where tenant_id = %s and status = 'open'"
            " and not is_sensitive and created_at > now() - interval '3 days'"
            " order by created_at desc limit 2000", (tenant.id,)).fetchall()]
    api_proc, api_port = serve(["--factory", "app.main:app_factory"], url, 20)
    bare_proc, bare_port = serve(["--app-dir", "scripts", "bench_bare_app:app"], url, 20)
    try:
        results = asyncio.run(measure(f"http://127.0.0.1:{api_port}",
                                      f"http://127.0.0.1:{bare_port}", tenant, ids, args))
    finally:
        for proc in (api_proc, bare_proc):
            proc.terminate()
            proc.wait(timeout=10)
    bare_rps = results["bare_one_round_trip"]["rps"] or 1
    report = {
        "bench": "tickets", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tickets": args.tickets, "generated_s": prepared["generated_s"],
        "concurrency": args.concurrency, "seconds": args.seconds, "cpus": os.cpu_count(),
        **results,
        "ratio_to_bare": {k: round(results[k]["rps"] / bare_rps, 3)
                          for k in ("get_tickets", "patch_status")},
        "escalation": sweep(url),
        "note": "client, uvicorn (1 worker) and PostgreSQL share the machine",
    }
    for key in ("bare_one_round_trip", "get_tickets", "patch_status"):
        r = report[key]
        print(f"{key:<20} {r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
              f"  ({r['requests']} requests, {r['errors']} errors)")
    print(f"ratio to bare: {report['ratio_to_bare']}")
    print(f"escalation: {report['escalation']}")
    out = ROOT / "bench-results" / f"bench_tickets_{args.tickets}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
