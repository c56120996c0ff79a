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

import httpx
import websockets
from psycopg import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.support.server import free_port  # noqa: E402
from tests.support.tenants import create_tenant  # noqa: E402

SUPABASE = {"p50_ms": 46, "p95_ms": 132, "p99_ms": 159,
            "source": "Supabase Realtime benchmarks: broadcast from database"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def client(url: str, topic: str, token: str, received: dict[int, list[float]],
                 joined: asyncio.Event, counter: list[int], total: int) -> None:
    async with websockets.connect(url, max_queue=None, ping_interval=None) as ws:
        await ws.send(json.dumps(["1", "1", f"realtime:{topic}", "phx_join",
                                  {"config": {"private": True, "broadcast": {"self": False}},
                                   "access_token": token}]))
        reply = json.loads(await ws.recv())
        if reply[4]["status"] != "ok":
            raise SystemExit(f"join refused: {reply[4]}")
        counter[0] += 1
        if counter[0] == total:
            joined.set()
        async for raw in ws:
            frame = json.loads(raw)
            if frame[3] == "broadcast":
                seq = frame[4]["payload"]["seq"]
                received.setdefault(seq, []).append(time.time())
                if seq < 0:
                    return


async def run(args: argparse.Namespace) -> dict:
    base = Settings(supabase_url="", environment="development")
    name = f"bench_realtime_{os.getpid()}"
    dbadmin.create_database(base.database_url, name)
    url = dbadmin.with_database(base.database_url, name)
    server = None
    try:
        dbadmin.prepare(url, local_platform=True)
        tenant = await create_tenant(url, base.supabase_jwt_secret, roles=("manager",))
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "DB_POOL_MAX": "20"}
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/uvicorn"), "--factory", "app.main:app_factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
             "--ws-ping-interval", "0"], env=env, cwd=ROOT)
        for _ in range(200):
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        ws_url = (f"ws://127.0.0.1:{port}/realtime/v1/websocket"
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
        await asyncio.wait_for(joined.wait(), timeout=300)

        committed: dict[int, float] = {}
        count = int(args.rate * args.seconds)
        interval = 1.0 / args.rate
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
        end = max(max(v) for v in received.values())
        latencies = [(t - committed[seq]) * 1000 for seq, times in received.items()
                     if seq >= 0 for t in times]
        delivered = len(latencies)
        return {
            "clients": args.clients, "rate_per_s": args.rate, "seconds": args.seconds,
            "updates": count, "expected_deliveries": count * args.clients,
            "delivered": delivered,
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies), 1),
            "messages_per_s": round(delivered / (end - min(committed.values())), 1),
            "supabase_published": SUPABASE,
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        dbadmin.drop_database(base.database_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20.0, help="updates committed per second")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(f"clients={result['clients']} updates={result['updates']} "
          f"delivered={result['delivered']}/{result['expected_deliveries']}")
    print(f"{'':22}{'p50':>8}{'p95':>8}{'p99':>8}")
    print(f"{'local gateway (ms)':22}{result['p50_ms']:>8}{result['p95_ms']:>8}"
          f"{result['p99_ms']:>8}")
    print(f"{'Supabase published':22}{SUPABASE['p50_ms']:>8}{SUPABASE['p95_ms']:>8}"
          f"{SUPABASE['p99_ms']:>8}")
    print(f"messages/s delivered: {result['messages_per_s']}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"realtime-{result['clients']}-clients.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
