"""`GET /metrics`: Prometheus text format.

Open in local development; elsewhere only with `METRICS_TOKEN` as a bearer
token (outbox depth and traffic are operators' business, not the public's).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.db import service_transaction
from app.errors import NotFound, Unauthorized
from app.observability import repository as repo
from app.telemetry import metrics

log = logging.getLogger("salga.metrics")
SAMPLE_SECONDS = 2.0


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """With several workers, each samples its own pool and clients every few seconds
    (a scrape reaches one worker; the others' gauges must be fresh too)."""
    sampler = (asyncio.create_task(sample(app.state), name="metrics-sampler")
               if metrics.MULTIPROCESS else None)
    try:
        yield
    finally:
        if sampler is not None:
            sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sampler
        metrics.worker_stopped()


async def sample(state: Any) -> None:
    while True:
        read_pool(state.pool)
        read_realtime(state)
        await asyncio.sleep(SAMPLE_SECONDS)


router = APIRouter(tags=["operations"], lifespan=lifespan)


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=True)
async def scrape(request: Request) -> Response:
    allow(request)
    state = request.app.state
    read_pool(state.pool)
    await read_outbox(state.pool)
    read_realtime(state)
    return Response(generate_latest(metrics.scrape_registry()),
                    media_type=CONTENT_TYPE_LATEST)


def allow(request: Request) -> None:
    settings = request.app.state.settings
    token = settings.metrics_token
    if not token:
        if settings.is_development:
            return
        raise NotFound("Not Found")
    offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        raise Unauthorized("a valid metrics token is required")


def read_pool(pool: Any) -> None:
    stats = pool.get_stats()
    size = stats.get("pool_size", 0)
    metrics.POOL_SIZE.set(size)
    metrics.POOL_IN_USE.set(size - stats.get("pool_available", 0))
    metrics.POOL_WAITING.set(stats.get("requests_waiting", 0))
    metrics.POOL_MAX.set(stats.get("pool_max", pool.max_size))


async def read_outbox(pool: Any) -> None:
    try:
        async with service_transaction(pool, actor="metrics") as conn:
            rows = await repo.outbox_backlog(conn)
    except Exception as exc:  # a scrape must answer even when the database does not
        log.warning("outbox metrics unavailable: %s", exc)
        return
    by_status = {row["status"]: row for row in rows}
    for status in ("pending", "sending"):
        metrics.OUTBOX_DEPTH.labels(status=status).set(by_status.get(status, {}).get("n", 0))
    metrics.OUTBOX_AGE.set(max((row["oldest_s"] for row in rows), default=0.0))


def read_realtime(state: Any) -> None:
    gateway = getattr(state, "realtime", None)
    listener = getattr(state, "realtime_listener", None)
    if gateway is None:
        return
    metrics.REALTIME_CLIENTS.set(gateway.clients)
    metrics.REALTIME_CHANNELS.set(gateway.hub.subscriber_count())
    metrics.REALTIME_DB_CONNECTED.set(1 if listener is not None and listener.ready.is_set() else 0)
