"""Fuzz the whole OpenAPI with schemathesis, as a manager and as a citizen.

A throwaway database (our migrations, the demo municipality), the API served
in-process with a counter of every response status, then `schemathesis run`
for each role within a time budget. Prints the figures and every 5xx; exits 1
if any request got a 5xx. Not part of CI: `scripts/fuzz_api [--seconds 120]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from app.demo import seed_all  # noqa: E402
from app.identity import service as identity  # noqa: E402
from app.localdev import ensure_local_secrets  # noqa: E402
from app.main import create_app  # noqa: E402
from tests.support.server import LiveServer  # noqa: E402

ROLES = {"manager": "manager@demo.salga.example", "citizen": "citizen@demo.salga.example"}


class StatusCounter:
    """ASGI wrapper: counts response statuses; remembers each 5xx request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.counts, self.errors = app, Counter[int](), list[str]()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                self.counts[status] += 1
                if status >= 500:
                    self.errors.append(f"{status} {scope['method']} {scope['path']}")
            await send(message)

        await self.app(scope, receive, counting)


async def prepare(settings: Settings) -> tuple[str, dict[str, str]]:
    name = f"salga_fuzz_{uuid.uuid4().hex[:8]}"
    dbadmin.create_database(settings.database_url, name)
    url = dbadmin.with_database(settings.database_url, name)
    dbadmin.prepare(url, local_platform=True)
    async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
        async with conn.transaction():
            await seed_all(conn)
        tokens = {role: await identity.issue_token(conn, email=email,
                                                   secret=settings.supabase_jwt_secret)
                  for role, email in ROLES.items()}
    return url, tokens


def fuzz(base_url: str, token: str, seconds: int, anon_key: str) -> dict[str, Any]:
    command = [str(ROOT / ".venv/bin/schemathesis"), "run", f"{base_url}/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", "400", "--workers", "2",
               "-H", f"Authorization: Bearer {token}", "-H", f"apikey: {anon_key}",
               "--url", base_url]
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds,
                              check=False)
        output, finished = done.stdout + done.stderr, True
    except subprocess.TimeoutExpired as expired:
        raw = (expired.stdout or b"") + (expired.stderr or b"")
        output = raw.decode() if isinstance(raw, bytes) else str(raw)
        finished = False
    return {"seconds": round(time.monotonic() - started, 1), "finished": finished,
            "tail": output.strip().splitlines()[-12:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=120, help="time budget per role")
    args = parser.parse_args()
    ensure_local_secrets()
    base = Settings(supabase_url="", environment="test")
    url, tokens = asyncio.run(prepare(base))
    settings = Settings(supabase_url="", environment="test", database_url=url, db_pool_max=10)
    counter = StatusCounter(create_app(settings))
    server = LiveServer(counter).start()  # type: ignore[arg-type]
    results: dict[str, Any] = {}
    try:
        for role, token in tokens.items():
            before = sum(counter.counts.values())
            results[role] = fuzz(server.base_url, token, args.seconds,
                                 settings.supabase_anon_key)
            results[role]["requests"] = sum(counter.counts.values()) - before
    finally:
        server.stop()
        dbadmin.drop_database(base.database_url, url.rsplit("/", 1)[-1])
    by_class: Counter[str] = Counter()
    for status, n in counter.counts.items():
        by_class[f"{status // 100}xx"] += n
    summary = {"roles": results, "requests": sum(counter.counts.values()),
               "by_status": dict(sorted(counter.counts.items())), "by_class": dict(by_class),
               "server_errors": sorted(Counter(counter.errors).items())}
    print(json.dumps(summary, indent=2))
    return 1 if counter.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
