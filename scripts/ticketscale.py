"""The staff workspace at scale, for scripts/bench_tickets: what a manager does
with a million tickets in the table (filtered list, search, the next page,
statistics, the CSV export, the duplicate check on filing), each timed over
HTTP beside the ceilings, EXPLAINed as the manager, and proven correct: the
list walks to the oldest overdue ticket and its counts equal SQL's."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import benchlib
import httpx
import jwt
import psycopg
from psycopg.rows import dict_row

from app.db import set_caller
from app.stats import repository as stats_repository
from app.tickets import repository
from app.tickets.service import encode_cursor

API = "/api/v1/tickets"
# The manager's working filters: old overdue work of one kind, and everything overdue.
OVERDUE_WATER = {"status": "open", "category": "water", "sla_status": "breached_resolution"}
ESCALATED = {"status": "escalated", "sla_status": "breached_resolution"}
STREET_WORDS = ("Voortrekker", "Govan Mbeki Drive", "Khayelitsha", "Long Street, Woodstock",
                "Chris Hani")


def query(path: str, **params: Any) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def scenarios(url: str, tenant: Any) -> dict[str, list[str]]:
    """Each scenario's paths (a connection cycles through them)."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        numbers = [r["tracking_number"] for r in conn.execute(
            "select tracking_number from public.tickets where tenant_id = %s and not"
            " is_sensitive order by md5(id::text) limit 50", (tenant.id,)).fetchall()]
        year_ago = conn.execute(
            "select created_at, id from public.tickets where tenant_id = %s and not is_sensitive"
            " and created_at < now() - interval '1 year' order by created_at desc, id desc"
            " limit 1", (tenant.id,)).fetchone()
        prefix = numbers[0].rsplit("-", 1)[0] + "-00"
    now = datetime.now(UTC)
    deep = encode_cursor("newest", year_ago["created_at"], year_ago["id"]) if year_ago else None
    return {
        "list_newest": [query(API, limit=50)],
        "list_overdue_filtered": [query(API, limit=50, **OVERDUE_WATER),
                                  query(API, limit=50, **ESCALATED)],
        "list_page_2": [],  # filled from page 1's cursor once the server runs
        "list_page_a_year_back": [query(API, limit=50, cursor=deep)] if deep else [],
        "search_tracking_number": [query(API, limit=50, q=n) for n in numbers[:25]]
        + [query(API, limit=50, q=prefix)],
        "search_address": [query(API, limit=50, q=w) for w in STREET_WORDS],
        "stats_30_days": [query("/api/v1/stats")],
        "stats_year": [query("/api/v1/stats", **{
            "from": (now - timedelta(days=365)).isoformat(), "to": now.isoformat()})],
        "export_30_days": [query(f"{API}/export.csv", created_from=(
            now - timedelta(days=30)).isoformat())],
    }


def page_two(base: str, headers: dict[str, str], firsts: list[str]) -> list[str]:
    """The second page of each list (those that have one), by the first page's cursor."""
    found = []
    for first in firsts:
        cursor = httpx.get(base + first, headers=headers, timeout=60).json()["next_cursor"]
        if cursor:
            found.append(first + "&" + urlencode({"cursor": cursor}))
    return found


def measure(server: benchlib.Server, paths: dict[str, list[str]], headers: dict[str, str],
            *, connections: int, seconds: float) -> dict[str, dict[str, Any]]:
    """One round of every scenario; the export with one connection (time to last byte)."""
    found = {}
    for name, cycle in paths.items():
        if not cycle:
            continue
        requests = [{"path": p, "headers": headers} for p in cycle]
        width = 1 if name.startswith("export") else connections
        conns = [requests[i % len(requests):] + requests[:i % len(requests)]
                 for i in range(width)]
        found[name] = benchlib.load(server, conns, seconds)
    return found


def export_rows(base: str, headers: dict[str, str], path: str) -> dict[str, Any]:
    """One export streamed to the last byte: rows, seconds, rows per second."""
    started = time.perf_counter()
    rows, first_byte = -1, None
    with httpx.stream("GET", base + path, headers=headers, timeout=600) as response:
        for chunk in response.iter_text():
            if first_byte is None:
                first_byte = time.perf_counter() - started
            rows += chunk.count("\r\n")
    took = time.perf_counter() - started
    return {"rows": rows, "seconds_to_last_byte": round(took, 3),
            "seconds_to_first_byte": round(first_byte or 0, 3),
            "rows_per_s": round(rows / took) if took else None}


def walk(base: str, headers: dict[str, str], filters: dict[str, str]) -> dict[str, Any]:
    """Every page of a filtered list, by cursor: how many, how far back, any repeated."""
    seen: set[str] = set()
    repeats, pages, oldest, cursor = 0, 0, None, None
    while True:
        path = query(API, limit=200, cursor=cursor, **filters)
        body = httpx.get(base + path, headers=headers, timeout=60).json()
        pages += 1
        for item in body["items"]:
            repeats += item["id"] in seen
            seen.add(item["id"])
            oldest = min(oldest or item["created_at"], item["created_at"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    return {"listed": len(seen), "repeats": repeats, "pages": pages, "oldest_listed": oldest}


SQL_COUNT = """
select count(*) from public.tickets t
 where t.tenant_id = %(tenant)s and not t.is_sensitive and t.status = %(status)s
   and (%(category)s::text is null or t.category = %(category)s)
   and public.sla_status(t) = %(sla)s
"""
SQL_OVERDUE_NOW = """
select count(*) from public.tickets t
 where t.tenant_id = %(tenant)s and not t.is_sensitive and t.status not in ('resolved', 'closed')
   and (t.sla_resolution_deadline < now()
        or (t.first_responded_at is null and t.sla_response_deadline < now()))
"""


def correctness(url: str, base: str, tenant: Any, headers: dict[str, str],
                export_path: str, export_since: datetime) -> dict[str, Any]:
    """The list, the stats and the export agree with SQL counts at this scale."""
    checks: dict[str, Any] = {}
    with psycopg.connect(url) as conn:
        for name, filters in (("open_water_overdue", OVERDUE_WATER),
                              ("escalated_overdue", ESCALATED)):
            listed = walk(base, headers, filters)
            row = conn.execute(SQL_COUNT, {"tenant": tenant.id, "status": filters["status"],
                                           "category": filters.get("category"),
                                           "sla": filters["sla_status"]}).fetchone()
            listed["sql_count"] = row[0] if row else None
            listed["equal"] = listed["listed"] == listed["sql_count"] and not listed["repeats"]
            checks[name] = listed
        stats = httpx.get(base + "/api/v1/stats", headers=headers, timeout=120).json()
        row = conn.execute(SQL_OVERDUE_NOW, {"tenant": tenant.id}).fetchone()
        checks["stats_overdue_now"] = {"api": stats["overdue_now"],
                                       "sql_count": row[0] if row else None,
                                       "equal": stats["overdue_now"] == (row[0] if row else None)}
        row = conn.execute("select count(*) from public.tickets where tenant_id = %s and not"
                           " is_sensitive and created_at >= %s",
                           (tenant.id, export_since)).fetchone()
    exported = export_rows(base, headers, export_path)
    checks["export_30_days"] = {"rows": exported["rows"], "sql_count": row[0] if row else None,
                                "equal": exported["rows"] == (row[0] if row else None)}
    checks["all_equal"] = all(c["equal"] for c in checks.values() if isinstance(c, dict))
    return checks


class Explaining:
    """A connection whose statements are EXPLAINed (ANALYZE) instead of run."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.plans: list[Any] = []

    async def execute(self, sql: str, params: Any = None) -> Any:
        cur = await self.conn.execute("explain (analyze, buffers, format json) " + sql, params)
        plan = (await cur.fetchone())["QUERY PLAN"][0]
        self.plans.append(plan)
        return _Rows([])


class _Rows:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    async def fetchall(self) -> list[Any]:
        return self.rows

    async def fetchone(self) -> Any:
        return {"stats": {}}


def summarize(plan: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(plan["Plan"])
    indexes = sorted({part.split('"')[0] for part in text.split('"Index Name": "')[1:]})
    return {"execution_ms": plan.get("Execution Time"), "top_node": plan["Plan"]["Node Type"],
            "indexes": indexes, "seq_scan": '"Seq Scan"' in text,
            "shared_hit_blocks": plan["Plan"].get("Shared Hit Blocks"),
            "shared_read_blocks": plan["Plan"].get("Shared Read Blocks")}


def explain(url: str, tenant: Any) -> dict[str, Any]:
    """Each slow-prone query's plan as the manager (RLS on)."""
    claims = jwt.decode(tenant.tokens["manager"], options={"verify_signature": False})
    numbers: dict[str, dict[str, Any]] = {
        "list_newest": {}, "list_overdue_filtered": OVERDUE_WATER,
        "list_escalated_overdue": ESCALATED, "search_address": {"q": "Govan Mbeki Drive"},
        "search_tracking_prefix": {"q": f"{tenant.code}-2026-00"}}

    async def run() -> dict[str, Any]:
        found: dict[str, Any] = {}
        async with await psycopg.AsyncConnection.connect(url, row_factory=dict_row) as conn:
            for name, filters in numbers.items():
                async with conn.transaction(force_rollback=True):
                    await set_caller(conn, claims)
                    probe = Explaining(conn)
                    await repository.list_tickets(
                        probe, tenant_id=tenant.id, sensitive=False,  # type: ignore[arg-type]
                        filters=filters, sort="newest", after=None, limit=51)
                    found[name] = summarize(probe.plans[0])
            end = datetime.now(UTC)
            for name, days in (("stats_30_days", 30), ("stats_year", 365)):
                async with conn.transaction(force_rollback=True):
                    await set_caller(conn, claims)
                    probe = Explaining(conn)
                    await stats_repository.ticket_stats(
                        probe, start=end - timedelta(days=days), end=end)  # type: ignore[arg-type]
                    found[name] = summarize(probe.plans[0])
        return found

    return asyncio.run(run())


DUPLICATES = "select count(*) from private.possible_duplicates(%s, %s, %s, %s)"


def duplicate_check(url: str, tenant_id: Any, queries: int) -> dict[str, Any]:
    """The PostGIS lookup filing runs (service role, as the filing path): at random
    points of the metro, and 22 m from open reports (where it finds them)."""
    import random

    rng = random.Random(16)
    found: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        spots = conn.execute(
            "select extensions.st_y(location::extensions.geometry) + 0.0002,"
            " extensions.st_x(location::extensions.geometry), category from public.tickets"
            " where tenant_id = %s and not is_sensitive and status = 'open'"
            " and created_at > now() - interval '29 days' order by md5(id::text) limit %s",
            (tenant_id, queries)).fetchall()
        conn.execute("set role service_role")
        conn.execute("select set_config('request.jwt.claims', '{\"role\": \"service_role\"}',"
                     " false)")
        randoms = [(rng.uniform(-34.10, -33.80), rng.uniform(18.35, 18.65),
                    ("water", "roads", "electricity", "waste")[i % 4]) for i in range(queries)]
        for name, points in (("random_points", randoms), ("beside_open_reports", spots)):
            timings, matches = [], 0
            for i, (lat, lon, category) in enumerate([*points[:20], *points]):
                started = time.perf_counter()
                row = conn.execute(DUPLICATES, (tenant_id, category, lat, lon)).fetchone()
                if i >= 20:  # the first 20 warm the cache
                    timings.append(time.perf_counter() - started)
                    matches += row[0] if row else 0
            ordered = sorted(timings) or [0.0]
            found[name] = {"queries": len(timings),
                           "p50_ms": round(1000 * ordered[len(ordered) // 2], 3),
                           "p95_ms": round(1000 * ordered[int(len(ordered) * 0.95)], 3),
                           "mean_found": round(matches / max(1, len(timings)), 2)}
    return found
