"""Benchmark body for scripts/bench_day (run that, not this).

A busy day for a metro, against the local stack as scripts/dev runs it (two
API workers with 8 connections each, `salga worker` draining the outbox to a
Twilio stand-in, Realtime subscribers on the municipal channel):

- WhatsApp: GovChat's national peak, 14.2M messages a day (about 164/s),
  scaled to one metro by population share (`--share`, default 0.08);
- staff: managers and field workers listing tickets, opening one, changing
  its status;
- every status change reaches the Realtime subscribers and queues a message.

The load rises in stages (x1, x2, x4, ... of that peak) until a route's p99
passes `--p99-limit-ms` or its rate falls short of the target; each stage
reports p50/p95/p99 per route, errors, and the CPU of the API, PostgreSQL and
the worker, which says what saturated first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402
import psycopg  # noqa: E402
import websockets  # noqa: E402
from bench_tickets import prepare  # noqa: E402  (builds database bench_tickets)
from twilio.request_validator import RequestValidator  # noqa: E402

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from tests.support.twilio_standin import TwilioStandIn  # noqa: E402

BENCH_DB = "bench_tickets"  # the same prepared municipality as bench_tickets
NATIONAL_PEAK_PER_S = 14_200_000 / 86_400
SIGNED_BASE = "http://127.0.0.1:8000"  # PUBLIC_BASE_URL: what Twilio signs
# Staff traffic per WhatsApp message at x1 (a metro's control room in the peak hour)
STAFF_PER_MESSAGE = {"list": 0.6, "detail": 0.4, "patch": 0.15}


def pg_cpu() -> float:
    pid_file = ROOT / ".local/pg/data/postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError):
        return 0.0
    return benchlib.cpu_seconds(pid)


def webhook_requests(settings: Settings, number: str, connections: int, per_conn: int
                     ) -> list[list[dict[str, Any]]]:
    validator = RequestValidator(settings.twilio_auth_token)
    path = "/webhooks/twilio/whatsapp"
    out = []
    for _ in range(connections):
        reqs = []
        while len(reqs) < per_conn:
            phone = f"+2782{uuid.uuid4().int % 10**7:07d}"
            for body in ("hi", "1", "1"):
                form = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
                        "From": f"whatsapp:{phone}", "To": f"whatsapp:{number}",
                        "Body": body, "NumMedia": "0", "ProfileName": "Citizen",
                        "WaId": phone.lstrip("+")}
                reqs.append({"method": "POST", "path": path, "body": urlencode(form),
                             "headers": {"Content-Type": "application/x-www-form-urlencoded",
                                         "X-Twilio-Signature": validator.compute_signature(
                                             SIGNED_BASE + path, form)}})
        out.append(reqs)
    return out


def staff_requests(token: str, ids: list[str], connections: int
                   ) -> dict[str, list[list[dict[str, Any]]]]:
    auth = {"Authorization": f"Bearer {token}"}
    per = max(1, len(ids) // connections)
    patches = []
    for c in range(connections):
        mine = ids[c * per:(c + 1) * per] or ids[:1]
        patches.append([{"method": "PATCH", "path": f"/api/v1/tickets/{t}/status",
                         "headers": {**auth, "Content-Type": "application/json"},
                         "body": json.dumps({"status": s})}
                        for s in ("in_progress", "escalated") for t in mine])
    return {"list": [[{"path": "/api/v1/tickets?limit=50", "headers": auth}]] * connections,
            "detail": [[{"path": f"/api/v1/tickets/{t}", "headers": auth} for t in ids[:200]]]
            * connections,
            "patch": patches}


class Subscribers:
    """Realtime clients on the municipal channel, counting what they receive."""

    def __init__(self, url: str, topic: str, token: str, count: int) -> None:
        self.url, self.topic, self.token, self.count = url, topic, token, count
        self.received = 0
        self.joined = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _client(self) -> None:
        async with websockets.connect(self.url, ping_interval=None) as ws:
            await ws.send(json.dumps(["1", "1", f"realtime:{self.topic}", "phx_join",
                                      {"config": {"private": True},
                                       "access_token": self.token}]))
            await ws.recv()
            self.joined += 1
            while not self._stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
                except TimeoutError:
                    continue
                if '"broadcast"' in raw:
                    self.received += 1

    async def _run(self) -> None:
        await asyncio.gather(*(self._client() for _ in range(self.count)),
                             return_exceptions=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def stage(server: benchlib.Server, worker: subprocess.Popen[bytes], load: dict[str, Any],
          factor: float, args: argparse.Namespace) -> dict[str, Any]:
    target = NATIONAL_PEAK_PER_S * args.share * factor
    rates = {"webhook": target, **{k: target * v for k, v in STAFF_PER_MESSAGE.items()}}
    conns = {k: max(1, min(32, round(rate / 2))) for k, rate in rates.items()}
    mixes = {k: (load[k][:conns[k]], rates[k] / conns[k]) for k in rates}
    pg0, worker0 = pg_cpu(), benchlib.cpu_seconds(worker.pid)
    started = time.perf_counter()
    results = benchlib.load_many(server, mixes, args.stage_seconds)
    elapsed = time.perf_counter() - started
    routes = {}
    for name, r in results.items():
        routes[name] = {"target_rps": round(rates[name], 1), "rps": r["rps"],
                        "p50_ms": r["p50_ms"], "p95_ms": r["p95_ms"], "p99_ms": r["p99_ms"],
                        "errors": r["errors"], "statuses": r["statuses"]}
    return {"factor": factor, "messages_per_s": round(target, 1), "routes": routes,
            "api_cpu_pct": next(iter(results.values()))["server_cpu_pct_of_core"],
            "postgres_cpu_pct": round(100 * (pg_cpu() - pg0) / elapsed, 1),
            "worker_cpu_pct": round(100 * (benchlib.cpu_seconds(worker.pid) - worker0)
                                    / elapsed, 1),
            "generators_cpu_pct": round(sum(r["generator_cpu_pct_of_core"]
                                            for r in results.values()), 1)}


def verdict(stages: list[dict[str, Any]], args: argparse.Namespace) -> str:
    for s in stages:
        for name, r in s["routes"].items():
            if r["p99_ms"] > args.p99_limit_ms or r["rps"] < 0.9 * r["target_rps"] or r["errors"]:
                busiest = max(("API workers (2 cores max)", s["api_cpu_pct"]),
                              ("PostgreSQL", s["postgres_cpu_pct"]),
                              ("salga worker", s["worker_cpu_pct"]), key=lambda x: x[1])
                return (f"x{s['factor']:g} ({s['messages_per_s']} messages/s): {name} first "
                        f"(p99 {r['p99_ms']} ms, {r['rps']}/{r['target_rps']} req/s, "
                        f"{r['errors']} errors); busiest: {busiest[0]} at {busiest[1]}% of a "
                        f"core; API {s['api_cpu_pct']}%, PostgreSQL {s['postgres_cpu_pct']}%")
    return f"nothing within x{stages[-1]['factor']:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--share", type=float, default=0.08,
                        help="the metro's share of the national peak (Cape Town ~0.08)")
    parser.add_argument("--stage-seconds", type=float, default=30)
    parser.add_argument("--max-factor", type=float, default=16)
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--p99-limit-ms", type=float, default=1000)
    args = parser.parse_args()
    settings = Settings(supabase_url="", environment="development")
    url = dbadmin.with_database(settings.database_url, BENCH_DB)
    print(f"preparing {args.tickets:,} tickets in database {BENCH_DB} ...", flush=True)
    tenant = prepare(url, args.tickets, False, settings)["tenant"]
    number = "+27219990001"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update public.municipalities set whatsapp_number = %s where id = %s",
                     (number, tenant.id))
        ids = [str(r[0]) for r in conn.execute(
            "select id from public.tickets where tenant_id = %s"
            " and status in ('open', 'in_progress', 'escalated')"
            " and not is_sensitive order by created_at desc limit 2000",
            (tenant.id,)).fetchall()]
        conn.execute("set session_replication_role = replica")
        conn.execute("update public.tickets set status = 'open', escalated_at = null"
                     " where id = any(%s::uuid[])", (ids,))
    twilio = TwilioStandIn(settings.twilio_account_sid, settings.twilio_auth_token).start()
    env = {**os.environ, "DATABASE_URL": url, "SUPABASE_URL": "", "LOG_LEVEL": "WARNING",
           "TWILIO_API_BASE_URL": twilio.base_url, "WHATSAPP_SEND_RATE_PER_SENDER": "0"}
    worker = subprocess.Popen([str(ROOT / ".venv/bin/salga"), "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=8, workers=2,
                             env={"TWILIO_API_BASE_URL": twilio.base_url})
    subs = Subscribers(f"ws://127.0.0.1:{server.port}/realtime/v1/websocket"
                       f"?apikey={settings.supabase_anon_key}&vsn=2.0.0",
                       f"municipality:{tenant.id}", tenant.tokens["manager"], args.subscribers)
    stages: list[dict[str, Any]] = []
    try:
        subs.start()
        per_conn = int(NATIONAL_PEAK_PER_S * args.share * args.max_factor * args.stage_seconds)
        load = {"webhook": webhook_requests(settings, number, 32, max(30, per_conn // 16)),
                **staff_requests(tenant.tokens["manager"], ids, 32)}
        factor = 1.0
        while factor <= args.max_factor:
            result = stage(server, worker, load, factor, args)
            stages.append(result)
            print(f"x{factor:g} ({result['messages_per_s']} msg/s): API {result['api_cpu_pct']}%"
                  f" PostgreSQL {result['postgres_cpu_pct']}% worker "
                  f"{result['worker_cpu_pct']}%", flush=True)
            for name, r in result["routes"].items():
                print(f"   {name:<8} {r['rps']:>7}/{r['target_rps']:<7} req/s  p50 "
                      f"{r['p50_ms']:>7} p95 {r['p95_ms']:>7} p99 {r['p99_ms']:>7} ms"
                      f"  errors {r['errors']}", flush=True)
            if verdict([result], args).startswith("x"):
                break
            factor *= 2
    finally:
        subs.stop()
        server.stop()
        worker.terminate()
        worker.wait(timeout=20)
        twilio.stop()
    first = stages[0]
    report = {"share": args.share, "national_peak_per_s": round(NATIONAL_PEAK_PER_S, 1),
              "stage_seconds": args.stage_seconds, "subscribers": args.subscribers,
              "subscribers_joined": subs.joined, "realtime_events_received": subs.received,
              "twilio_messages_sent": len(twilio.state.messages),
              "routes": first["routes"], "stages": stages,
              "saturates_first": verdict(stages, args)}
    print(f"saturates first: {report['saturates_first']}")
    benchlib.save("bench_day", report)


if __name__ == "__main__":
    main()
