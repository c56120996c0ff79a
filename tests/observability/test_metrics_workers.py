"""`/metrics` of a server with two uvicorn workers adds up both, whichever answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.observability.test_metrics import samples, value

ROOT = Path(__file__).resolve().parents[2]
POOL_MAX = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Iterator[str]:
    """`uvicorn --workers 2` as scripts/dev runs it, with an empty multiprocess directory."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SUPABASE_URL": "",
           "ENVIRONMENT": "test", "DB_POOL_MIN": "1", "DB_POOL_MAX": str(POOL_MAX),
           "LOG_LEVEL": "WARNING", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "app.main:app_factory", "--workers", "2",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until(check: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():  # type: ignore[operator]
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        time.sleep(0.2)


def scrape(base: str) -> dict:
    # a new connection each time, so the scrapes reach either worker
    response = httpx.get(f"{base}/metrics", timeout=10, headers={"Connection": "close"})
    assert response.status_code == 200
    return samples(response.text)


def test_a_scrape_adds_up_every_worker(two_workers: str) -> None:
    # each worker's pool ceiling is POOL_MAX: only a sum over both reads twice that
    wait_until(lambda: value(scrape(two_workers), "salga_db_pool_max_connections")
               == 2 * POOL_MAX)
    for _ in range(20):
        refused = httpx.get(f"{two_workers}/api/v1/tickets", timeout=10,
                            headers={"Connection": "close"})
        assert refused.status_code == 401
    route = {"method": "GET", "route": "/api/v1/tickets", "status": "401"}
    for _ in range(6):
        found = scrape(two_workers)
        assert value(found, "salga_http_requests_total", **route) == 20
        assert value(found, "salga_http_request_duration_seconds_count",
                     method="GET", route="/api/v1/tickets") == 20
        assert value(found, "salga_db_pool_max_connections") == 2 * POOL_MAX
        assert ("salga_outbox_depth", (("status", "pending"),)) in found
