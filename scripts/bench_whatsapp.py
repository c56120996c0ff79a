"""Benchmark body for scripts/bench_whatsapp (run that, not this)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from psycopg import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from app import dbadmin  # noqa: E402
from app.config import ChannelSettings, Settings  # noqa: E402
from app.worker import run_worker  # noqa: E402
from tests.support.tenants import create_tenant  # noqa: E402
from tests.support.twilio_standin import TwilioStandIn  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import benchlib  # noqa: E402

SIGNED_BASE = "http://127.0.0.1:8000"
SCRIPT: list[dict[str, str]] = [
    {"Body": "hi"}, {"Body": "1"}, {"Body": "yes"}, {"Body": "1"},
    {"Body": "Burst pipe flooding the street since this morning"},
    {"Body": "", "Latitude": "-33.92", "Longitude": "18.42", "Address": "1 Long St"},
    {"Body": "1"}, {"Body": "1"},
]


def conversations(token: str, to: str, connections: int, per_connection: int
                  ) -> list[list[dict[str, Any]]]:
    """Signed requests: each connection runs whole conversations, one after another."""
    validator = RequestValidator(token)
    path = "/webhooks/twilio/whatsapp"
    out = []
    for _ in range(connections):
        requests: list[dict[str, Any]] = []
        for _ in range(per_connection):
            phone = f"+2786{uuid.uuid4().int % 10**7:07d}"
            for step in SCRIPT:
                form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": f"whatsapp:{phone}",
                        "To": f"whatsapp:{to}", "NumMedia": "0", **step}
                requests.append({"method": "POST", "path": path, "body": urlencode(form),
                                 "headers": {"Content-Type": "application/x-www-form-urlencoded",
                                             "X-Twilio-Signature": validator.compute_signature(
                                                 SIGNED_BASE + path, form)}})
        out.append(requests)
    return out


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
    try:
        dbadmin.prepare(url, local_platform=True)
        tenant = await create_tenant(url, base.supabase_jwt_secret, roles=("manager",))
        number = "+27215550000"
        async with await AsyncConnection.connect(url) as conn:
            await conn.execute("update public.municipalities set whatsapp_number = %s"
                               " where id = %s", (number, tenant.id))
            await conn.commit()
        rounds: dict[str, list[dict[str, Any]]] = {}
        for _ in range(args.rounds):
            for key, result in benchlib.ceilings(url, connections=args.concurrency,
                                                 seconds=args.seconds).items():
                rounds.setdefault(key, []).append(result)
            api = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=20)
            try:
                # A fresh server first (its pools, and each new database connection's
                # first run of every trigger), then the same server warm, as the
                # ceilings are measured: new citizens both times.
                for phase in ("webhook_cold", "webhook"):
                    requests = conversations(base.twilio_auth_token, number,
                                             args.concurrency, args.citizens)
                    rounds.setdefault(phase, []).append(
                        benchlib.load(api, requests, args.seconds))
            finally:
                api.stop()
        outbox = await drain(url, base, tenant.id, args.notifications)
    finally:
        dbadmin.drop_database(base.database_url, name)
    found = {k: benchlib.medians(v) for k, v in rounds.items()}
    return {"concurrency": args.concurrency, "seconds": args.seconds, "rounds": args.rounds,
            "messages_per_citizen": len(SCRIPT), **found,
            "webhook_vs_bare_insert": round(found["webhook"]["rps"]
                                            / (found["bare_insert"]["rps"] or 1), 3),
            "webhook_cold_vs_bare_insert": round(found["webhook_cold"]["rps"]
                                                 / (found["bare_insert"]["rps"] or 1), 3),
            "outbox": outbox}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--citizens", type=int, default=40,
                        help="conversations per connection (8 messages each), enough to last")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--notifications", type=int, default=500)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    for key in ("plain_no_db", "select_1", "bare_insert", "webhook_cold", "webhook"):
        r = result[key]
        print(f"{key:<13} {r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
              f"  server {r['server_cpu_pct_of_core']}%  generator"
              f" {r['generator_cpu_pct_of_core']}%  ({r['errors']} errors)")
    print(f"webhook / bare insert = {result['webhook_vs_bare_insert']:.1%} warm,"
          f" {result['webhook_cold_vs_bare_insert']:.1%} in a fresh server's first"
          f" {args.seconds:g} s")
    outbox = result["outbox"]
    print(f"outbox drain: {outbox['sent']}/{outbox['notifications']} sent, "
          f"{outbox['sent_per_s']} msg/s (per-sender limit off; default 10 msg/s)")
    benchlib.save("bench_whatsapp", result)


if __name__ == "__main__":
    main()
