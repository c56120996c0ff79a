"""Benchmark body for scripts/bench_tickets (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime, timedelta
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
import ticketgen  # noqa: E402
import ticketscale  # noqa: E402

BENCH_DB = "bench_tickets"

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
        row = conn.execute(
            "select count(*), (select tenant_id::text from public.tickets group by 1"
            " order by count(*) desc limit 1) from public.tickets").fetchone()
    count, tenant_id = (row[0], row[1]) if row else (0, None)
    if count == n and n > 0:
        return {"tenant": asyncio.run(tokens_for(url, settings, tenant_id)), "generated_s": 0}
    if count:
        dbadmin.drop_database(settings.database_url, BENCH_DB)
        return prepare(url, n, False, settings)
    city = asyncio.run(build_city(url, settings.supabase_jwt_secret))
    return {"tenant": city.tenant, "generated_s": ticketgen.generate(url, n=n, city=city)}


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
                    with_patch: bool, paths: dict[str, list[str]] | None = None
                    ) -> dict[str, Any]:
    variant = VARIANTS[name]
    set_volatility(url, variant["volatility"])
    server = benchlib.Server(["--factory", "app.main:app_factory"], url=url,
                             pool=variant["pool"], workers=variant["workers"])
    try:
        benchlib.load(server, listing, 1)  # warm-up
        found = {"get_tickets": benchlib.load(server, listing, seconds)}
        if paths is not None:
            found.update(workspace(server, paths, listing[0][0]["headers"], len(listing),
                                   seconds))
        if with_patch:
            reset_status(url, patches)
            found["patch_status"] = benchlib.load(server, patches, seconds)
        return found
    finally:
        server.stop()


def measure(url: str, tenant: Any, ids: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Rounds of: the ceilings, then (--compare) issue 17's variants, else the workspace
    at the standard setting (2 workers x 8 connections) with PATCH status."""
    listing, patches = ticket_requests(tenant, ids, args.concurrency)
    paths = ticketscale.scenarios(url, tenant)
    rounds: dict[str, list[dict[str, Any]]] = {}
    for _ in range(args.rounds):
        for key, result in benchlib.ceilings(url, connections=args.concurrency,
                                             seconds=args.seconds).items():
            rounds.setdefault(key, []).append(result)
        names = list(VARIANTS) if args.compare else ["after"]
        for name in names:
            for key, result in measure_variant(url, name, listing, patches, args.seconds,
                                               with_patch=name != "stable_only",
                                               paths=None if args.compare else paths).items():
                rounds.setdefault(f"{key}_{name}" if args.compare else key, []).append(result)
    set_volatility(url, "stable")
    return {key: benchlib.medians(runs) for key, runs in rounds.items()}


def workspace(server: benchlib.Server, paths: dict[str, list[str]], headers: dict[str, str],
              connections: int, seconds: float) -> dict[str, Any]:
    base = f"http://127.0.0.1:{server.port}"
    paths = {**paths, "list_page_2": ticketscale.page_two(
        base, headers, [*paths["list_overdue_filtered"], *paths["list_newest"]])}
    return ticketscale.measure(server, paths, headers, connections=connections,
                               seconds=seconds)


def sweep(url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:  # rolled back: the bench data stays as generated
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
        conn.rollback()
    return {"overdue_before": overdue[0] if overdue else None,
            "escalated": first[0] if first else None, "sweep_s": round(first_s, 3),
            "idempotent_rerun_escalated": second[0] if second else None,
            "idempotent_rerun_s": round(second_s, 4)}


def at_scale(url: str, tenant: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Correctness walks, whole exports, plans and the duplicate check (not timed by
    the generator: each once, or a few times for p50)."""
    headers = {"Authorization": f"Bearer {tenant.tokens['manager']}"}
    since = datetime.now(UTC) - timedelta(days=30)
    export_path = ticketscale.query(f"{ticketscale.API}/export.csv",
                                    created_from=since.isoformat())
    server = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=8, workers=2)
    try:
        base = f"http://127.0.0.1:{server.port}"
        checks = ticketscale.correctness(url, base, tenant, headers, export_path, since)
        exports = {name: [ticketscale.export_rows(base, headers, path) for _ in range(3)]
                   for name, path in (("export_30_days", export_path),
                                      ("export_open_overdue_water", ticketscale.query(
                                          f"{ticketscale.API}/export.csv",
                                          **ticketscale.OVERDUE_WATER)))}
    finally:
        server.stop()
    return {"correct_at_scale": checks,
            "exports": {name: sorted(runs, key=lambda r: r["seconds_to_last_byte"])[1]
                        for name, runs in exports.items()},
            "plans_as_manager": ticketscale.explain(url, tenant),
            "duplicate_check": ticketscale.duplicate_check(url, tenant.id, args.queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--queries", type=int, default=1000, help="duplicate checks timed")
    parser.add_argument("--compare", action="store_true",
                        help="issue 17's before/after variants instead of the workspace")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()
    settings = Settings(supabase_url="", environment="development")
    url = dbadmin.with_database(settings.database_url, BENCH_DB)
    print(f"preparing {args.tickets:,} tickets in database {BENCH_DB} ...", flush=True)
    prepared = prepare(url, args.tickets, args.fresh, settings)
    print(f"prepared ({prepared['generated_s']} s to generate)", flush=True)
    tenant = prepared["tenant"]
    with psycopg.connect(url) as conn:
        ids = [str(r[0]) for r in conn.execute(
            "select id from public.tickets where tenant_id = %s"
            " and status in ('open', 'in_progress', 'escalated')"
            " and not is_sensitive and created_at > now() - interval '3 days'"
            " order by created_at desc limit 2000", (tenant.id,)).fetchall()]
        spread = conn.execute("select count(distinct tenant_id), count(*) filter (where"
                              " tenant_id = %s) from public.tickets", (tenant.id,)).fetchone()
    if not ids:
        raise SystemExit("no recent ordinary tickets to walk: run with --fresh")
    results = measure(url, tenant, ids, args)
    plain = results["plain_no_db"]["rps"] or 1
    report = {
        "tickets": args.tickets, "generated_s": prepared["generated_s"],
        "municipalities": spread[0] if spread else None,
        "tickets_of_the_measured_municipality": spread[1] if spread else None,
        "concurrency": args.concurrency, "seconds": args.seconds, "rounds": args.rounds,
        "compare": args.compare, "variants": VARIANTS if args.compare else {"after": VARIANTS[
            "after"]}, **results,
        "ratio_to_plain": {k: round(v["rps"] / plain, 3) for k, v in results.items()},
        "ratio_to_select_1": {k: round(v["rps"] / (results["select_1"]["rps"] or 1), 3)
                              for k, v in results.items()},
        "escalation": sweep(url),
        "note": "lean generator in its own process; server, generator and PostgreSQL"
                " share the machine (and other work); medians of the rounds; exports with"
                " one connection (latency = time to the last byte)",
    }
    if not args.compare:
        report.update(at_scale(url, tenant, args))
    for key, r in results.items():
        print(f"{key:<26} {r['rps']:>8} req/s  p50 {r['p50_ms']:>7} p95 {r['p95_ms']:>7}"
              f" p99 {r['p99_ms']:>7} ms  x{report['ratio_to_select_1'][key]:<6} of select 1"
              f"  server {r['server_cpu_pct_of_core']:>5}%  generator"
              f" {r['generator_cpu_pct_of_core']:>5}%  ({r['errors']} errors)")
    for key in ("escalation", "correct_at_scale", "exports", "duplicate_check",
                "plans_as_manager"):
        if key in report:
            print(f"{key}: {json.dumps(report[key], default=str)}")
    benchlib.save(f"bench_tickets_{args.tickets}", report)


if __name__ == "__main__":
    main()
