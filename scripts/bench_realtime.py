"""Benchmark body for scripts/bench_realtime (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from psycopg import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.support.tenants import create_tenant  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import benchlib  # noqa: E402

SUPABASE = {"p50_ms": 46, "p95_ms": 132, "p99_ms": 159,
            "source": "Supabase Realtime benchmarks: broadcast from database"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# before: per-client encoding with per-message deflate (the first gateway);
# encoded_once: each broadcast encoded once, no deflate, sent through ASGI per client;
# after: framed once and written straight to the sockets (app/realtime/wire.py).
VARIANTS = {
    "before": {"env": {"REALTIME_SHARED_ENCODING": "false", "REALTIME_DIRECT_WRITES": "false"},
               "deflate": True},
    "encoded_once": {"env": {"REALTIME_SHARED_ENCODING": "true",
                             "REALTIME_DIRECT_WRITES": "false"}, "deflate": False},
    "after": {"env": {"REALTIME_SHARED_ENCODING": "true", "REALTIME_DIRECT_WRITES": "true"},
              "deflate": False},
}


def start_clients(ws_url: str, topic: str, token: str, clients: int) -> subprocess.Popen[str]:
    """The lean clients in their own process; returns once every one has joined."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts/realtime_clients.py"), ws_url,
                             topic, token, str(clients)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "joined":
        proc.kill()
        raise SystemExit(f"the clients did not all join: {line!r}")
    return proc


async def measure_once(url: str, base: Settings, tenant, variant: str,  # type: ignore[no-untyped-def]
                       args: argparse.Namespace) -> dict:
    settings = VARIANTS[variant]
    server = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=20,
                             env=settings["env"], deflate=settings["deflate"])
    try:
        ws_url = (f"ws://127.0.0.1:{server.port}/realtime/v1/websocket"
                  f"?apikey={base.supabase_anon_key}&vsn=2.0.0")
        topic = f"municipality:{tenant.id}"
        clients = start_clients(ws_url, topic, tenant.tokens["manager"], args.clients)
        committed: dict[int, float] = {}
        count = int(args.rate * args.seconds)
        interval = 1.0 / args.rate
        server_cpu0 = server.cpu()
        async with await AsyncConnection.connect(url, autocommit=True) as conn:
            start = time.perf_counter()
            for seq in range(count + 1):
                await asyncio.sleep(max(0.0, start + seq * interval - time.perf_counter()))
                payload = {"id": str(uuid.uuid4()), "seq": seq if seq < count else -1,
                           "tracking_number": f"TKT-{seq:06d}", "status": "in_progress",
                           "category": "water", "assigned_team_id": None,
                           "sla_status": "on_track", "operation": "UPDATE"}
                await conn.execute("select realtime.send(%s::jsonb, 'ticket_changed', %s)",
                                   (json.dumps(payload), topic))
                committed[payload["seq"]] = time.time()
        out, _ = await asyncio.to_thread(clients.communicate, timeout=300)
        elapsed = time.perf_counter() - start
        server_cpu = server.cpu() - server_cpu0
        report = json.loads(out.strip().splitlines()[-1])
        arrivals = [(seq, at) for seq, at in report["arrivals"] if seq >= 0]
        latencies = [(at - committed[seq]) * 1000 for seq, at in arrivals]
        delivered = len(latencies)
        end = max(at for _, at in arrivals)
        return {
            "variant": variant, "expected_deliveries": count * args.clients,
            "delivered": delivered,
            "rps": round(delivered / (end - min(committed.values())), 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1),
            "errors": count * args.clients - delivered,
            "generator_cpu_pct_of_core": round(100 * report["cpu_s"] / elapsed, 1),
            "generator_cpu_us_per_request": round(1e6 * report["cpu_s"] / max(1, delivered), 1),
            "server_cpu_pct_of_core": round(100 * server_cpu / elapsed, 1),
        }
    finally:
        server.stop()


async def run(args: argparse.Namespace) -> dict:
    base = Settings(supabase_url="", environment="development")
    name = f"bench_realtime_{os.getpid()}"
    dbadmin.create_database(base.database_url, name)
    url = dbadmin.with_database(base.database_url, name)
    try:
        dbadmin.prepare(url, local_platform=True)
        tenant = await create_tenant(url, base.supabase_jwt_secret, roles=("manager",))
        rounds: dict[str, list[dict]] = {v: [] for v in VARIANTS}
        for _ in range(args.rounds):
            for variant in VARIANTS:
                result = await measure_once(url, base, tenant, variant, args)
                print(f"  {variant:<7} p50 {result['p50_ms']:>7} p95 {result['p95_ms']:>7}"
                      f" p99 {result['p99_ms']:>7} ms  delivered {result['delivered']}"
                      f"/{result['expected_deliveries']}", flush=True)
                rounds[variant].append(result)
        return {"clients": args.clients, "rate_per_s": args.rate, "seconds": args.seconds,
                "rounds": args.rounds, "variants": VARIANTS,
                **{v: benchlib.medians(r) for v, r in rounds.items()},
                "supabase_published": SUPABASE,
                "note": "lean clients (raw sockets, scripts/realtime_clients.py) in their own"
                        " process, the gateway in its own uvicorn process, commits from the"
                        " bench process; medians of the rounds"}
    finally:
        dbadmin.drop_database(base.database_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20.0, help="updates committed per second")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(f"clients={result['clients']}  medians of {args.rounds} rounds")
    print(f"{'':34}{'p50':>8}{'p95':>8}{'p99':>8}")
    for variant, label in (("before", "per-client encoding, deflate on"),
                           ("encoded_once", "encoded once, through ASGI"),
                           ("after", "framed once, straight to sockets")):
        r = result[variant]
        print(f"{label:<34}{r['p50_ms']:>8}{r['p95_ms']:>8}{r['p99_ms']:>8}"
              f"   {r['rps']} msg/s, server {r['server_cpu_pct_of_core']}%,"
              f" clients {r['generator_cpu_pct_of_core']}%")
    print(f"{'Supabase published':<34}{SUPABASE['p50_ms']:>8}{SUPABASE['p95_ms']:>8}"
          f"{SUPABASE['p99_ms']:>8}")
    benchlib.save(f"bench_realtime_{result['clients']}", result)


if __name__ == "__main__":
    main()
