"""Benchmark body for scripts/bench_rls (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import jwt
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.support.tenants import create_tenant  # noqa: E402

DB_NAME = "salga_bench_rls"
MUNICIPALITIES = 257
TARGETS = {"p95_ms": 5.0, "rls_ratio": 1.5, "audit_overhead_pct": 15.0}
FIRST_PAGE = ("select id, tracking_number, category, status, priority, created_at"
              " from public.tickets where tenant_id = %s and not is_sensitive"
              " order by created_at desc, id desc limit 50")
FILTERED_COUNT = ("select count(*) from public.tickets where tenant_id = %s"
                  " and not is_sensitive and status = 'open' and category = 'water'")

GENERATE = """
set session_replication_role = replica;  -- bulk load: no per-row triggers
insert into public.municipalities (code, name, province)
select 'B' || chr(65 + (g / 676) %% 26) || chr(65 + (g / 26) %% 26) || chr(65 + g %% 26),
       'Bench Municipality ' || g, 'GP'
  from generate_series(1, %(extra)s) g;
create temporary table bench_tenants as
select row_number() over (order by id) as n, id, code from public.municipalities;
insert into public.teams (tenant_id, name, categories, is_saps)
select id, 'Works', array['water', 'electricity', 'roads', 'waste', 'sanitation', 'other'], false
  from bench_tenants where id not in (select tenant_id from public.teams where name = 'Works');
insert into public.teams (tenant_id, name, categories, is_saps)
select id, 'SAPS liaison', array['gbv'], true
  from bench_tenants where id not in (select tenant_id from public.teams where is_saps);
create temporary table bench_teams as
select b.n, b.id as tenant_id, b.code,
       (select t.id from public.teams t
         where t.tenant_id = b.id and not t.is_saps limit 1) as works,
       (select t.id from public.teams t where t.tenant_id = b.id and t.is_saps limit 1) as saps
  from bench_tenants b;
create index on bench_teams (n);
analyze bench_teams;
insert into public.tickets (tenant_id, tracking_number, category, description,
                            encrypted_description, is_sensitive, status, priority,
                            assigned_team_id, created_at, updated_at)
select b.tenant_id,
       b.code || '-B-' || lpad(g::text, 7, '0'),
       case when s then 'gbv'
            else (array['water', 'electricity', 'roads', 'waste', 'sanitation',
                        'other'])[1 + g %% 6]
       end,
       case when s then null else 'Bench report ' || g end,
       case when s then 'gAAAAABbenchciphertext' end,
       s,
       (array['open', 'in_progress', 'escalated', 'resolved', 'closed'])[1 + (g / 7) %% 5],
       (array['low', 'normal', 'high', 'urgent'])[1 + (g / 3) %% 4],
       case when s then b.saps else b.works end,
       now() - make_interval(secs => (g * 31.536)::double precision),
       now()
  from generate_series(1, %(tickets)s) g
  cross join lateral (select g %% 10 = 0 as s) flag
  join bench_teams b on b.n = 1 + (g::bigint * 7919) %% %(tenants)s;
set session_replication_role = origin;
"""


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "sql").glob("*.sql")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples, 50), 3),
            "p95_ms": round(percentile(samples, 95), 3),
            "mean_ms": round(statistics.fmean(samples), 3)}


def build(url: str, server_url: str, tickets: int, secret: str, marker: str) -> None:
    dbadmin.drop_database(server_url, DB_NAME)
    dbadmin.create_database(server_url, DB_NAME)
    dbadmin.prepare(url, local_platform=True)
    asyncio.run(create_tenant(url, secret, roles=("manager",)))
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(GENERATE % {"extra": MUNICIPALITIES - 1, "tickets": tickets,
                                 "tenants": MUNICIPALITIES})
        conn.execute("vacuum analyze public.tickets")
        conn.execute(sql.SQL("comment on database {} is {}").format(
            sql.Identifier(DB_NAME), sql.Literal(marker)))
    print(f"  generated {tickets:,} tickets in {MUNICIPALITIES} municipalities"
          f" in {time.perf_counter() - started:.1f} s")


def manager_claims(url: str, secret: str) -> tuple[dict[str, Any], str]:
    """A manager of the first municipality, with a token from our real hook."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "select m.code, u.email from public.profiles p join auth.users u on u.id = p.id"
            " join public.municipalities m on m.id = p.tenant_id where p.role = 'manager'"
            " order by p.created_at limit 1").fetchone()
    assert row is not None
    code, email = row

    async def issue() -> str:
        from app.identity import service as identity
        async with await psycopg.AsyncConnection.connect(url, row_factory=dict_row) as conn:
            return await identity.issue_token(conn, email=email, secret=secret)

    token = asyncio.run(issue())
    return jwt.decode(token, options={"verify_signature": False}), code


def as_caller(conn: psycopg.Connection[Any], claims: dict[str, Any]) -> None:
    conn.execute("select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
                 (claims["role"], json.dumps(claims)))


def time_query(conn: psycopg.Connection[Any], claims: dict[str, Any], sql: str,
               params: tuple[Any, ...], runs: int) -> tuple[list[float], Any]:
    samples: list[float] = []
    result: Any = None
    with conn.transaction():
        as_caller(conn, claims)
        for i in range(runs + 20):
            started = time.perf_counter()
            result = conn.execute(sql, params, prepare=True).fetchall()
            if i >= 20:
                samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def reads(url: str, claims: dict[str, Any], runs: int) -> dict[str, Any]:
    tenant = claims["app_metadata"]["tenant_id"]
    service = {"role": "service_role"}
    out: dict[str, Any] = {}
    with psycopg.connect(url) as conn:
        for name, sql in (("first_page_50", FIRST_PAGE), ("filtered_count", FILTERED_COUNT)):
            rls, rls_rows = time_query(conn, claims, sql, (tenant,), runs)
            svc, svc_rows = time_query(conn, service, sql, (tenant,), runs)
            assert rls_rows == svc_rows, f"{name}: RLS and service results differ"
            out[name] = {"rls": summary(rls), "service": summary(svc),
                         "ratio_p50": round(percentile(rls, 50) / percentile(svc, 50), 2),
                         "ratio_p95": round(percentile(rls, 95) / percentile(svc, 95), 2),
                         "rows": len(rls_rows) if name == "first_page_50" else rls_rows[0][0]}
            with conn.transaction():
                as_caller(conn, claims)
                plan = conn.execute("explain (analyze, buffers) " + sql, (tenant,)).fetchall()
            out[name]["plan_rls"] = [r[0] for r in plan]
    return out


def audit_overhead(url: str, claims: dict[str, Any], updates: int) -> dict[str, Any]:
    """Ticket updates as the manager, each its own transaction, in alternating
    blocks with the audit trigger enabled and disabled."""
    tenant = claims["app_metadata"]["tenant_id"]
    samples: dict[str, list[float]] = {"enabled": [], "disabled": []}
    commits: dict[str, list[float]] = {"enabled": [], "disabled": []}
    with psycopg.connect(url, autocommit=True) as owner, psycopg.connect(url) as conn:
        ids = [r[0] for r in conn.execute(
            "select id from public.tickets where tenant_id = %s and not is_sensitive"
            " order by created_at desc limit %s", (tenant, updates)).fetchall()]
        conn.rollback()
        block = max(10, len(ids) // 20)
        for round_no, start in enumerate(range(0, len(ids), block)):
            for mode in (("enabled", "disabled") if round_no % 2 == 0 else ("disabled", "enabled")):
                action = "enable" if mode == "enabled" else "disable"
                owner.execute(f"alter table public.tickets {action} trigger audit_row")
                for i, ticket in enumerate(ids[start:start + block]):
                    priority = ("high", "low")[(round_no + i + (mode == "enabled")) % 2]
                    started = time.perf_counter()
                    with conn.transaction():
                        as_caller(conn, claims)
                        stmt = time.perf_counter()
                        conn.execute("update public.tickets set priority = %s where id = %s",
                                     (priority, ticket), prepare=True)
                        samples[mode].append((time.perf_counter() - stmt) * 1000)
                    commits[mode].append((time.perf_counter() - started) * 1000)
        owner.execute("alter table public.tickets enable trigger audit_row")
    on, off = statistics.fmean(samples["enabled"]), statistics.fmean(samples["disabled"])
    ton, toff = statistics.fmean(commits["enabled"]), statistics.fmean(commits["disabled"])
    return {"updates_per_mode": len(samples["enabled"]),
            "statement": {"enabled": summary(samples["enabled"]),
                          "disabled": summary(samples["disabled"]),
                          "overhead_pct": round((on / off - 1) * 100, 1)},
            "transaction": {"enabled": summary(commits["enabled"]),
                            "disabled": summary(commits["disabled"]),
                            "overhead_pct": round((ton / toff - 1) * 100, 1)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300, help="timed runs per query and role")
    parser.add_argument("--updates", type=int, default=600, help="ticket updates (all modes)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()

    settings = Settings(supabase_url="", environment="development")
    server_url = settings.database_url
    url = dbadmin.with_database(server_url, DB_NAME)
    marker = f"tickets={args.tickets} schema={migrations_hash()}"
    with psycopg.connect(dbadmin.with_database(server_url, "postgres")) as conn:
        row = conn.execute("select shobj_description(oid, 'pg_database') from pg_database"
                           " where datname = %s", (DB_NAME,)).fetchone()
    print(f"bench_rls: {args.tickets:,} tickets, {MUNICIPALITIES} municipalities, 10% sensitive")
    if args.fresh or row is None or row[0] != marker:
        build(url, server_url, args.tickets, settings.supabase_jwt_secret, marker)
    else:
        print("  reusing the bench database (same scale and schema)")

    claims, code = manager_claims(url, settings.supabase_jwt_secret)
    result: dict[str, Any] = {"tickets": args.tickets, "municipalities": MUNICIPALITIES,
                              "manager_of": code, "targets": TARGETS}
    result["reads"] = reads(url, claims, args.runs)
    result["audit"] = audit_overhead(url, claims, args.updates)
    report(result)
    out_dir = ROOT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / f"bench_rls_{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"  saved {path.relative_to(ROOT)}")


def report(result: dict[str, Any]) -> None:
    for name, r in result["reads"].items():
        print(f"  {name:15} ({r['rows']} rows)  manager/RLS p50 {r['rls']['p50_ms']:.3f} ms"
              f"  p95 {r['rls']['p95_ms']:.3f} ms | service p50 {r['service']['p50_ms']:.3f} ms"
              f"  p95 {r['service']['p95_ms']:.3f} ms | ratio p50 {r['ratio_p50']}"
              f"  p95 {r['ratio_p95']}")
    a = result["audit"]
    for kind in ("statement", "transaction"):
        print(f"  audit trigger on ticket updates ({kind}): enabled mean"
              f" {a[kind]['enabled']['mean_ms']:.3f} ms, disabled"
              f" {a[kind]['disabled']['mean_ms']:.3f} ms, overhead {a[kind]['overhead_pct']}%")
    worst_p95 = max(r["rls"]["p95_ms"] for r in result["reads"].values())
    worst_ratio = max(r["ratio_p95"] for r in result["reads"].values())
    print(f"  targets: p95 <= {TARGETS['p95_ms']} ms -> {worst_p95:.3f};"
          f" RLS/no-RLS <= {TARGETS['rls_ratio']} -> {worst_ratio};"
          f" audit overhead <= {TARGETS['audit_overhead_pct']}% ->"
          f" {a['transaction']['overhead_pct']}% (transaction),"
          f" {a['statement']['overhead_pct']}% (statement)")


if __name__ == "__main__":
    main()
