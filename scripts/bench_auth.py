"""Benchmark body for scripts/bench_auth (run that, not this).

Builds database bench_auth afresh (people made through the Auth admin API),
starts the app in its own uvicorn process, and measures from here:
- password: POST /auth/v1/token?grant_type=password (bcrypt check, session,
  refresh token, our access token hook, signing);
- otp: POST /auth/v1/otp for a new phone, then POST /auth/v1/verify with the
  code from the local mailbox (the verify call is the sign-in measured).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.authserver.settings import Mailbox  # noqa: E402
from app.config import Settings  # noqa: E402
from app.identity import service as identity  # noqa: E402
from tests.support.server import free_port  # noqa: E402

BENCH_DB = "bench_auth"
PASSWORD = "bench password 2026"


async def prepare(url: str, people: int) -> list[str]:
    async with await psycopg.AsyncConnection.connect(url, row_factory=dict_row) as conn:
        async with conn.transaction():
            await identity.add_municipality(conn, code="BENCH", name="Bench Municipality",
                                            province="GP")
        emails = [f"staff{i}@bench.salga.example" for i in range(people)]
        async with conn.transaction():
            for email in emails:
                await identity.add_user(conn, email=email, role="manager",
                                        municipality_code="BENCH", password=PASSWORD)
    return emails


def serve(url: str, mail_dir: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SUPABASE_URL": "", "LOCAL_MAIL_DIR": mail_dir,
           "AUTH_SIGN_IN_LIMIT": "100000000", "AUTH_VERIFY_LIMIT": "100000000",
           "AUTH_SMS_LIMIT": "100000000"}
    proc = subprocess.Popen([str(ROOT / ".venv/bin/uvicorn"), "--factory", "app.main:app_factory",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                             "--no-access-log"], env=env, cwd=ROOT)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/auth/v1/health", timeout=1)
            return proc, port
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def summary(latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    pick = (lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)) \
        if ordered else (lambda q: None)
    return {"requests": len(ordered), "errors": errors,
            "rps": round(len(ordered) / seconds, 1), "p50_ms": pick(0.50),
            "p95_ms": pick(0.95), "mean_ms": round(statistics.fmean(ordered), 1)
            if ordered else None}


async def run_load(flow: Any, concurrency: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal errors
        count = 0
        while time.perf_counter() < deadline:
            took = await flow(index, count)
            count += 1
            if took is None:
                errors += 1
            else:
                latencies.append(took)

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return summary(latencies, errors, seconds)


async def measure(base: str, anon_key: str, emails: list[str], mail_dir: str,
                  args: argparse.Namespace) -> dict[str, Any]:
    headers = {"apikey": anon_key}
    mailbox = Mailbox(Path(mail_dir))
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:

        async def password(index: int, count: int) -> float | None:
            email = emails[(index * 7919 + count) % len(emails)]
            start = time.perf_counter()
            r = await client.post("/auth/v1/token", params={"grant_type": "password"},
                                  json={"email": email, "password": PASSWORD})
            took = (time.perf_counter() - start) * 1000
            return took if r.status_code == 200 else None

        async def otp(index: int, count: int) -> float | None:
            phone = f"+2784{uuid.uuid4().int % 10**7:07d}"
            sent = await client.post("/auth/v1/otp", json={"phone": phone})
            if sent.status_code != 200:
                return None
            messages = mailbox.messages(to=phone, limit=1)
            found = re.search(r"\b(\d{6})\b", messages[0]["text"]) if messages else None
            if found is None:
                return None
            start = time.perf_counter()
            r = await client.post("/auth/v1/verify",
                                  json={"type": "sms", "phone": phone, "token": found.group(1)})
            took = (time.perf_counter() - start) * 1000
            return took if r.status_code == 200 else None

        await password(0, 0)  # warm-up
        return {"password": await run_load(password, args.concurrency, args.seconds),
                "otp_verify": await run_load(otp, args.concurrency, args.seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    settings = Settings(supabase_url="", environment="development")
    dbadmin.drop_database(settings.database_url, BENCH_DB)
    dbadmin.create_database(settings.database_url, BENCH_DB)
    url = dbadmin.with_database(settings.database_url, BENCH_DB)
    dbadmin.prepare(url, local_platform=True)
    print(f"creating {args.people} people through the Auth admin API ...", flush=True)
    emails = asyncio.run(prepare(url, args.people))
    with tempfile.TemporaryDirectory(prefix="salga-bench-mail-") as mail_dir:
        proc, port = serve(url, mail_dir)
        try:
            results = asyncio.run(measure(f"http://127.0.0.1:{port}", settings.supabase_anon_key,
                                          emails, mail_dir, args))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    report = {"bench": "auth", "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "concurrency": args.concurrency, "seconds": args.seconds, "cpus": os.cpu_count(),
              **results, "note": "bcrypt cost 10; client, uvicorn (1 worker) and PostgreSQL"
                                 " share the machine"}
    for key in ("password", "otp_verify"):
        r = report[key]
        print(f"{key:<11} p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  {r['rps']} sign-ins/s"
              f"  ({r['requests']} requests, {r['errors']} errors)")
    out = ROOT / "bench-results" / "bench_auth.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
