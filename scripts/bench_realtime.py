"""Benchmark body for scripts/bench_realtime (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

import websockets
from psycopg import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.support.tenants import create_tenant  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import benchlib  # noqa: E402

JOINING = asyncio.Semaphore(50)
SEQ = re.compile(r'"seq": (-?\d+)')
SUPABASE = {"p50_ms": 46, "p95_ms": 132, "p99_ms": 159,
            "source": "Supabase Realtime benchmarks: broadcast from database"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def client(url: str, topic: str, token: str, received: dict[int, list[float]],
                 joined: asyncio.Event, counter: list[int], total: int) -> None:
    async with JOINING:  # joins in waves: each is a policy check in the database
        ws = await websockets.connect(url, max_queue=None, ping_interval=None,
                                      open_timeout=120)
        await ws.send(json.dumps(["1", "1", f"realtime:{topic}", "phx_join",
                                  {"config": {"private": True, "broadcast": {"self": False}},
                                   "access_token": token}]))
        reply = json.loads(await ws.recv())
    async with ws:
        if reply[4]["status"] != "ok":
            raise SystemExit(f"join refused: {reply[4]}")
        counter[0] += 1
        if counter[0] == total:
            joined.set()
        async for raw in ws:
            # a lean client: find the sequence number without parsing the frame
            at = time.time()
            match = SEQ.search(raw) if isinstance(raw, str) and '"broadcast"' in raw else None
            if match:
                seq = int(match.group(1))
                received.setdefault(seq, []).append(at)
                if seq < 0:
                    return


VARIANTS = {
    "before": {"env": {"REALTIME_SHARED_ENCODING": "false"}, "deflate": True},
    "after": {"env": {"REALTIME_SHARED_ENCODING": "true"}, "deflate": False},
}


async def measure_once(url: str, base: Settings, tenant, variant: str,  # type: ignore[no-untyped-def]
                       args: argparse.Namespace) -> dict:
    settings = VARIANTS[variant]
    server = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=20,
                             env=settings["env"], deflate=settings["deflate"])
    try:
        ws_url = (f"ws://127.0.0.1:{server.port}/realtime/v1/websocket"
                  f"?apikey={base.supabase_anon_key}&vsn=2.0.0")
        topic = f"municipality:{tenant.id}"
        received: dict[int, list[float]] = {}
        joined, counter = asyncio.Event(), [0]
        tasks = []
        for _ in range(args.clients):
            tasks.append(asyncio.create_task(client(
                ws_url, topic, tenant.tokens["manager"], received, joined, counter,
                args.clients)))
            await asyncio.sleep(0)
        waiter = asyncio.create_task(joined.wait())
        done, _ = await asyncio.wait([waiter, *tasks], timeout=300,
                                     return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not waiter and task.exception() is not None:
                raise SystemExit(f"a client failed to join: {task.exception()!r}")
        if waiter not in done:
            raise SystemExit(f"only {counter[0]} of {args.clients} clients joined")

        committed: dict[int, float] = {}
        count = int(args.rate * args.seconds)
        interval = 1.0 / args.rate
        cpu0, server_cpu0 = resource.getrusage(resource.RUSAGE_SELF), server.cpu()
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
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
        elapsed = time.perf_counter() - start
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        server_cpu = server.cpu() - server_cpu0
        end = max(max(v) for v in received.values())
        latencies = [(t - committed[seq]) * 1000 for seq, times in received.items()
                     if seq >= 0 for t in times]
        delivered = len(latencies)
        return {
            "variant": variant, "expected_deliveries": count * args.clients,
            "delivered": delivered,
            "rps": round(delivered / (end - min(committed.values())), 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1),
            "errors": count * args.clients - delivered,
            "generator_cpu_pct_of_core": round(100 * client_cpu / elapsed, 1),
            "generator_cpu_us_per_request": round(1e6 * client_cpu / max(1, delivered), 1),
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
                "note": "clients (the generator) run in the bench process; the gateway in"
                        " its own uvicorn process; medians of the rounds"}
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
                           ("after", "shared encoding, deflate off")):
        r = result[variant]
        print(f"{label:<34}{r['p50_ms']:>8}{r['p95_ms']:>8}{r['p99_ms']:>8}"
              f"   {r['rps']} msg/s, server {r['server_cpu_pct_of_core']}%,"
              f" clients {r['generator_cpu_pct_of_core']}%")
    print(f"{'Supabase published':<34}{SUPABASE['p50_ms']:>8}{SUPABASE['p95_ms']:>8}"
          f"{SUPABASE['p99_ms']:>8}")
    benchlib.save(f"bench_realtime_{result['clients']}", result)


if __name__ == "__main__":
    main()
