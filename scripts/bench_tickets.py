"""Benchmark body for scripts/bench_tickets (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.tickets.conftest import build_city  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import benchlib  # noqa: E402

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


SLA_FUNCTION = ("private.sla_status_at(timestamptz, timestamptz, timestamptz, timestamptz,"
                " timestamptz, numeric, timestamptz)")
# before: one uvicorn worker with 20 connections, sla_status_at IMMUTABLE (not inlined);
# after: two workers with 8 connections each, STABLE (inlined).
VARIANTS = {"before": {"workers": 1, "pool": 20, "volatility": "immutable"},
            "stable_only": {"workers": 1, "pool": 20, "volatility": "stable"},
            "after": {"workers": 2, "pool": 8, "volatility": "stable"}}


def set_volatility(url: str, volatility: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"alter function {SLA_FUNCTION} {volatility}")


def ticket_requests(tenant: Any, ids: list[str], connections: int
                    ) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    auth = {"Authorization": f"Bearer {tenant.tokens['manager']}"}
    listing = [[{"path": "/api/v1/tickets?limit=50", "headers": auth}]
               for _ in range(connections)]
    per = max(1, len(ids) // connections)
    patches = []
    for c in range(connections):
        mine = ids[c * per:(c + 1) * per] or ids[:1]
        # each connection walks its own tickets: open -> in_progress <-> escalated
        patches.append([{"method": "PATCH", "path": f"/api/v1/tickets/{t}/status",
                         "headers": {**auth, "Content-Type": "application/json"},
                         "body": json.dumps({"status": status})}
                        for status in ("in_progress", "escalated") for t in mine])
    return listing, patches


def reset_status(url: str, patches: list[list[dict[str, Any]]]) -> None:
    """Every walked ticket back to open, so each run's first move is allowed."""
    ids = sorted({r["path"].split("/")[4] for conn in patches for r in conn})
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("set session_replication_role = replica")
        conn.execute("update public.tickets set status = 'open', escalated_at = null"
                     " where id = any(%s::uuid[])", (ids,))


def measure_variant(url: str, name: str, listing: Any, patches: Any, seconds: float,
                    with_patch: bool) -> dict[str, Any]:
    variant = VARIANTS[name]
    set_volatility(url, variant["volatility"])
    server = benchlib.Server(["--factory", "app.main:app_factory"], url=url,
                             pool=variant["pool"], workers=variant["workers"])
    try:
        benchlib.load(server, listing, 1)  # warm-up
        found = {"get_tickets": benchlib.load(server, listing, seconds)}
        if with_patch:
            reset_status(url, patches)
            found["patch_status"] = benchlib.load(server, patches, seconds)
        return found
    finally:
        server.stop()


def measure(url: str, tenant: Any, ids: list[str], args: argparse.Namespace) -> dict[str, Any]:
    listing, patches = ticket_requests(tenant, ids, args.concurrency)
    rounds: dict[str, list[dict[str, Any]]] = {}
    for _ in range(args.rounds):
        for key, result in benchlib.ceilings(url, connections=args.concurrency,
                                             seconds=args.seconds).items():
            rounds.setdefault(key, []).append(result)
        for name in VARIANTS:
            for key, result in measure_variant(url, name, listing, patches, args.seconds,
                                               with_patch=name != "stable_only").items():
                rounds.setdefault(f"{key}_{name}", []).append(result)
    set_volatility(url, "stable")
    return {key: benchlib.medians(runs) for key, runs in rounds.items()}


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
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
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
            "select id from public.tickets where tenant_id = %s"
            " and status in ('open', 'in_progress', 'escalated')"
            " and not is_sensitive and created_at > now() - interval '3 days'"
            " order by created_at desc limit 2000", (tenant.id,)).fetchall()]
    if not ids:
        raise SystemExit("no recent ordinary tickets to walk: run with --fresh")
    results = measure(url, tenant, ids, args)
    plain = results["plain_no_db"]["rps"] or 1
    report = {
        "tickets": args.tickets, "generated_s": prepared["generated_s"],
        "concurrency": args.concurrency, "seconds": args.seconds, "rounds": args.rounds,
        "variants": VARIANTS, **results,
        "ratio_to_plain": {k: round(v["rps"] / plain, 3) for k, v in results.items()},
        "ratio_to_select_1": {k: round(v["rps"] / (results["select_1"]["rps"] or 1), 3)
                              for k, v in results.items()},
        "escalation": sweep(url),
        "note": "lean generator in its own process; server, generator and PostgreSQL"
                " share the machine; medians of the rounds",
    }
    for key, r in results.items():
        print(f"{key:<26} {r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
              f"  server {r['server_cpu_pct_of_core']:>5}%  generator"
              f" {r['generator_cpu_pct_of_core']:>5}%  ({r['errors']} errors)")
    print(f"escalation: {report['escalation']}")
    benchlib.save(f"bench_tickets_{args.tickets}", report)


if __name__ == "__main__":
    main()
