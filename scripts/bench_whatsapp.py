"""Benchmark body for scripts/bench_whatsapp (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from psycopg import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from app import dbadmin  # noqa: E402
from app.config import ChannelSettings, Settings  # noqa: E402
from app.worker import run_worker  # noqa: E402
from tests.support.server import free_port  # noqa: E402
from tests.support.tenants import create_tenant  # noqa: E402
from tests.support.twilio_standin import TwilioStandIn  # noqa: E402

SIGNED_BASE = "http://127.0.0.1:8000"
SCRIPT: list[dict[str, str]] = [
    {"Body": "hi"}, {"Body": "1"}, {"Body": "yes"}, {"Body": "1"},
    {"Body": "Burst pipe flooding the street since this morning"},
    {"Body": "", "Latitude": "-33.92", "Longitude": "18.42", "Address": "1 Long St"},
    {"Body": "1"}, {"Body": "1"},
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def serve(app: str, port: int, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/uvicorn"), app, "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--no-access-log", *extra], env=env, cwd=ROOT)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{app} did not start")


async def load(url: str, path: str, token: str, to: str, citizens: int, concurrency: int
               ) -> dict[str, Any]:
    """Every citizen runs the whole conversation; `concurrency` citizens at a time."""
    validator = RequestValidator(token)
    latencies: list[float] = []
    errors = 0
    slots = asyncio.Semaphore(concurrency)

    async def citizen(client: httpx.AsyncClient) -> None:
        nonlocal errors
        phone = f"+2786{uuid.uuid4().int % 10**7:07d}"
        async with slots:
            for step in SCRIPT:
                form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": f"whatsapp:{phone}",
                        "To": f"whatsapp:{to}", "NumMedia": "0", **step}
                signature = validator.compute_signature(SIGNED_BASE + "/webhooks/twilio/"
                                                        "whatsapp", form)
                started = time.perf_counter()
                response = await client.post(path, data=form,
                                             headers={"X-Twilio-Signature": signature})
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(citizen(client) for _ in range(citizens)))
        elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "errors": errors,
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p99_ms": round(percentile(latencies, 99), 1)}


async def drain(url: str, base: Settings, tenant_id: Any, notifications: int) -> dict[str, Any]:
    standin = TwilioStandIn(base.twilio_account_sid, base.twilio_auth_token).start()
    try:
        async with await AsyncConnection.connect(url) as conn:
            cur = await conn.execute(
                "select phone from public.whatsapp_conversations where tenant_id = %s",
                (tenant_id,))
            phones = [row[0] for row in await cur.fetchall()]
            for n in range(notifications):
                await conn.execute(
                    "insert into public.notification_outbox (tenant_id, recipient,"
                    " template_key, variables) values (%s, %s, 'ticket_status_changed', %s)",
                    (tenant_id, phones[n % len(phones)],
                     json.dumps({"tracking_number": f"B-{n}", "status": "resolved"})))
            await conn.commit()
        settings = base.model_copy(update={"database_url": url,
                                           "twilio_api_base_url": standin.base_url})
        channel = ChannelSettings(send_rate_per_sender=0, batch_size=100)
        started = time.perf_counter()
        await run_worker(settings, channel, once=True)
        elapsed = time.perf_counter() - started
        sent = len(standin.state.messages)
    finally:
        standin.stop()
    return {"notifications": notifications, "sent": sent,
            "sent_per_s": round(sent / elapsed, 1)}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    base = Settings(supabase_url="", environment="development")
    name = f"bench_whatsapp_{os.getpid()}"
    dbadmin.create_database(base.database_url, name)
    url = dbadmin.with_database(base.database_url, name)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        dbadmin.prepare(url, local_platform=True)
        tenant = await create_tenant(url, base.supabase_jwt_secret, roles=("manager",))
        number = "+27215550000"
        async with await AsyncConnection.connect(url) as conn:
            await conn.execute("update public.municipalities set whatsapp_number = %s"
                               " where id = %s", (number, tenant.id))
            await conn.execute("create schema bench; create table bench.bare"
                               " (id bigint generated always as identity primary key,"
                               " body text, at timestamptz default now())")
            await conn.commit()
        env = {**os.environ, "DATABASE_URL": url, "DB_POOL_MAX": "20", "SUPABASE_URL": ""}
        app_port, bare_port = free_port(), free_port()
        servers.append(serve("app.main:app_factory", app_port, env, "--factory"))
        servers.append(serve("bench_whatsapp_bare:app", bare_port, env, "--app-dir", "scripts"))
        token = base.twilio_auth_token
        await load(f"http://127.0.0.1:{bare_port}", "/bare", token, number, 4, 4)  # warm-up
        bare = await load(f"http://127.0.0.1:{bare_port}", "/bare", token, number,
                          args.citizens, args.concurrency)
        webhook = await load(f"http://127.0.0.1:{app_port}", "/webhooks/twilio/whatsapp",
                             token, number, args.citizens, args.concurrency)
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        servers.clear()
        outbox = await drain(url, base, tenant.id, args.notifications)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        dbadmin.drop_database(base.database_url, name)
    return {"citizens": args.citizens, "concurrency": args.concurrency,
            "messages_per_citizen": len(SCRIPT), "webhook": webhook, "bare_insert": bare,
            "ratio": round(webhook["requests_per_s"] / bare["requests_per_s"], 3),
            "outbox": outbox}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--citizens", type=int, default=60,
                        help="conversations run to a filed report (8 messages each)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--notifications", type=int, default=500)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(f"{result['citizens']} conversations x {result['messages_per_citizen']} messages, "
          f"{result['concurrency']} at a time")
    print(f"{'':26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for label, key in (("signed webhook", "webhook"), ("bare insert endpoint", "bare_insert")):
        row = result[key]
        print(f"{label:26}{row['requests_per_s']:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}"
              f"{row['errors']:>8}")
    print(f"webhook / bare = {result['ratio']:.1%}")
    outbox = result["outbox"]
    print(f"outbox drain: {outbox['sent']}/{outbox['notifications']} sent, "
          f"{outbox['sent_per_s']} msg/s (per-sender limit off; default 10 msg/s)")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / "whatsapp.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
