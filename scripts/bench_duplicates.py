"""Benchmark body for scripts/bench_duplicates (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.tickets.conftest import build_city  # noqa: E402

BENCH_DB = "bench_duplicates"
# A metro the size of Cape Town's core: ~30 km x 30 km.
BOX = (18.35, -34.10, 18.65, -33.80)

# A year of reports, set-based with triggers off (bulk load): 3 % protected,
# the last 30 days mostly open, older ones mostly closed.
GENERATE = """
set session_replication_role = replica;
insert into public.tickets (tenant_id, tracking_number, category, description,
  encrypted_description, is_sensitive, status, location, created_at, updated_at)
select %(tenant)s, format('%(code)s-2026-%%s', lpad(g::text, 7, '0')),
       case when g %% 33 = 0 then 'gbv'
            else (array['water', 'electricity', 'roads', 'waste', 'sanitation', 'other'])
                 [1 + g %% 6] end,
       case when g %% 33 = 0 then null else 'Generated report ' || g end,
       case when g %% 33 = 0 then 'ciphertext' end,
       g %% 33 = 0,
       case when at > now() - interval '30 days'
            then (array['open', 'in_progress', 'open', 'escalated', 'resolved'])[1 + g %% 5]
            when g %% 50 = 0 then 'open' else 'closed' end,
       extensions.st_setsrid(extensions.st_makepoint(
         %(x1)s + random() * (%(x2)s - %(x1)s), %(y1)s + random() * (%(y2)s - %(y1)s)),
         4326)::extensions.geography,
       at, at
  from generate_series(1, %(n)s) g
  cross join lateral (select now() - (%(n)s - g) * (interval '365 days' / %(n)s) as at) c;
set session_replication_role = origin;
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(seconds: list[float]) -> dict[str, float]:
    return {f"p{q}_ms": round(percentile(seconds, q) * 1000, 3) for q in (50, 95, 99)}


def prepare(url: str, n: int, fresh: bool, settings: Settings) -> dict[str, Any]:
    if fresh:
        dbadmin.drop_database(settings.database_url, BENCH_DB)
    dbadmin.create_database(settings.database_url, BENCH_DB)
    dbadmin.prepare(url, local_platform=True)
    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*), min(tenant_id::text) from public.tickets").fetchone()
    if row and row[0] == n and n > 0:
        return {"tenant_id": row[1], "generated_s": 0}
    if row and row[0]:
        dbadmin.drop_database(settings.database_url, BENCH_DB)
        return prepare(url, n, False, settings)
    city = asyncio.run(build_city(url, settings.supabase_jwt_secret))
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        params = {"tenant": city.tenant.id, "n": n, **dict(zip(("x1", "y1", "x2", "y2"), BOX,
                                                               strict=True))}
        for statement in GENERATE.replace("%(code)s", city.tenant.code).split(";\n"):
            if statement.strip():
                conn.execute(statement, params if "%(" in statement else None)
        conn.execute("vacuum analyze public.tickets")
    return {"tenant_id": str(city.tenant.id), "generated_s": round(time.perf_counter() - started)}


def point(rng: random.Random) -> tuple[float, float]:
    return (rng.uniform(BOX[1], BOX[3]), rng.uniform(BOX[0], BOX[2]))


def search(url: str, tenant_id: str, queries: int, *, at_reports: bool) -> dict[str, Any]:
    """The search as the filing path runs it (service role): at random points of
    the city, or (`at_reports`) beside open reports, where it finds matches."""
    rng = random.Random(16)
    timings: list[float] = []
    found = 0
    sql = ("select count(*) from private.possible_duplicates(%s, %s, %s, %s)")
    with psycopg.connect(url, autocommit=True) as conn:
        categories = ["water", "electricity", "roads", "waste", "sanitation", "other"]
        spots = [(lat + 0.0002, lon, category) for lat, lon, category in conn.execute(
            "select extensions.st_y(location::extensions.geometry),"
            " extensions.st_x(location::extensions.geometry), category from public.tickets"
            " where not is_sensitive and status = 'open' and created_at > now() - interval"
            " '29 days' order by random() limit %s", (queries + 50,)).fetchall()]
        conn.execute("set role service_role")
        conn.execute("select set_config('request.jwt.claims', '{\"role\": \"service_role\"}',"
                     " false)")
        for i in range(queries + 50):
            lat, lon = point(rng)
            category = categories[i % 6]
            if at_reports:
                lat, lon, category = spots[i % len(spots)]
            started = time.perf_counter()
            row = conn.execute(sql, (tenant_id, category, lat, lon)).fetchone()
            if i >= 50:  # the first 50 warm the cache
                timings.append(time.perf_counter() - started)
                found += row[0] if row else 0
        plan = conn.execute(
            "explain (analyze, buffers, format json) select * from public.tickets t"
            " where not t.is_sensitive and t.duplicate_of is null"
            " and t.status in ('open', 'in_progress', 'escalated')"
            " and extensions.st_dwithin(t.location, extensions.st_setsrid("
            "extensions.st_makepoint(%s, %s), 4326)::extensions.geography, 50)"
            " and t.tenant_id = %s and t.category = 'water'"
            " and t.created_at > now() - interval '30 days'",
            (BOX[0] + 0.1, BOX[1] + 0.1, tenant_id)).fetchone()
    node = plan[0][0]["Plan"] if plan else {}
    return {"queries": queries, **summary(timings),
            "mean_found": round(found / max(queries, 1), 3),
            "plan_top_node": node.get("Node Type"),
            "plan_index": json.dumps(node).split('"Index Name": "')[1].split('"')[0]
            if '"Index Name"' in json.dumps(node) else None}


def filing(url: str, tenant_id: str, count: int) -> dict[str, Any]:
    """A whole filing through tickets.file_report (insert, triggers, duplicate check),
    each in a transaction rolled back so the table stays as generated."""
    from psycopg import AsyncConnection
    from psycopg.rows import dict_row

    from app.tickets import service as tickets

    async def run() -> dict[str, Any]:
        rng = random.Random(311)
        timings: list[float] = []
        async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
            for i in range(count + 10):
                lat, lon = point(rng)
                started = time.perf_counter()
                async with conn.transaction(force_rollback=True):
                    await conn.execute("set local role service_role")
                    await conn.execute("select set_config('request.jwt.claims',"
                                       " '{\"role\": \"service_role\"}', true)")
                    await tickets.file_report(
                        conn, tenant_id=tenant_id,  # type: ignore[arg-type]
                        reporter_id=None, category="water", description="Bench report",
                        latitude=lat, longitude=lon, source="api")
                if i >= 10:
                    timings.append(time.perf_counter() - started)
        return {"filings": count, **summary(timings)}

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--filings", type=int, default=300)
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()
    settings = Settings(supabase_url="", environment="development")
    url = dbadmin.with_database(settings.database_url, BENCH_DB)
    print(f"preparing {args.tickets:,} tickets in database {BENCH_DB} ...", flush=True)
    prepared = prepare(url, args.tickets, args.fresh, settings)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "select count(*) filter (where not is_sensitive and duplicate_of is null and status"
            " in ('open', 'in_progress', 'escalated')) from public.tickets").fetchone()
    report = {
        "bench": "duplicates", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tickets": args.tickets, "open_ordinary": row[0] if row else None,
        "generated_s": prepared["generated_s"], "cpus": os.cpu_count(),
        "search_random_points": search(url, prepared["tenant_id"], args.queries,
                                       at_reports=False),
        "search_beside_open_reports": search(url, prepared["tenant_id"], args.queries,
                                             at_reports=True),
        "file_report_with_check": filing(url, prepared["tenant_id"], args.filings),
        "note": "radius 50 m, age 30 days; 'beside' = 22 m from an open report of the"
                " same category; client and PostgreSQL share the machine",
    }
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"duplicates-{report['at'].replace(':', '')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
