"""Prometheus metrics: what operators watch, scraped at `/metrics`.

Counters and histograms live in one registry per process. Gauges that describe
state (the pool, the outbox, realtime clients) are read when scraped (and, with
several workers, every few seconds by each), so they are never stale.

With several uvicorn workers, set `PROMETHEUS_MULTIPROC_DIR` to an empty
directory before they start (scripts/dev uses `.local/metrics`, emptied on
each start): every worker then writes its samples there and a scrape, whichever
worker answers it, adds them up (prometheus-client's multiprocess mode).
Per-worker gauges are summed over live workers; the outbox, which every worker
reads from the same database, shows the most recent reading.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess

# prometheus-client picks its storage when first imported: files in this
# directory (shared by the workers) or memory (one process).
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "salga_http_requests", "HTTP requests served, by route template and status.",
    ["method", "route", "status"], registry=REGISTRY)
LATENCY = Histogram(
    "salga_http_request_duration_seconds", "Time to the end of the response, by route.",
    ["method", "route"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
WEBHOOK_FAILURES = Counter(
    "salga_webhook_failures", "Twilio webhooks refused or failed, by reason.",
    ["reason"], registry=REGISTRY)
SEND_FAILURES = Counter(
    "salga_send_failures", "WhatsApp sends that did not succeed, by outcome (retry, failed).",
    ["outcome"], registry=REGISTRY)
STORAGE_ERRORS = Counter(
    "salga_storage_errors", "Requests the local Storage gateway refused or failed, by code"
    " (EntityTooLarge, InsufficientStorage, AccessDenied, ...).",
    ["code"], registry=REGISTRY)

# Each worker's own pool and clients: summed over the live workers.
POOL_SIZE = Gauge("salga_db_pool_connections", "Connections the pools hold.",
                  registry=REGISTRY, multiprocess_mode="livesum")
POOL_IN_USE = Gauge("salga_db_pool_connections_in_use", "Connections lent out right now.",
                    registry=REGISTRY, multiprocess_mode="livesum")
POOL_WAITING = Gauge("salga_db_pool_requests_waiting", "Requests waiting for a connection.",
                     registry=REGISTRY, multiprocess_mode="livesum")
POOL_MAX = Gauge("salga_db_pool_max_connections", "The pools' ceiling (all workers).",
                 registry=REGISTRY, multiprocess_mode="livesum")
# One database for all: the latest reading, whichever worker took it.
OUTBOX_DEPTH = Gauge("salga_outbox_depth", "Notifications waiting to be sent, by status.",
                     ["status"], registry=REGISTRY, multiprocess_mode="mostrecent")
OUTBOX_AGE = Gauge("salga_outbox_oldest_age_seconds",
                   "Age of the oldest notification still waiting to be sent.", registry=REGISTRY,
                   multiprocess_mode="mostrecent")
REALTIME_CLIENTS = Gauge("salga_realtime_clients", "Open Realtime WebSocket connections.",
                         registry=REGISTRY, multiprocess_mode="livesum")
REALTIME_CHANNELS = Gauge("salga_realtime_channels", "Joined Realtime channels.",
                          registry=REGISTRY, multiprocess_mode="livesum")
# 0 as soon as any worker's listener has lost the database.
REALTIME_DB_CONNECTED = Gauge(
    "salga_realtime_listener_connected", "1 while the Realtime listeners hold their connection.",
    registry=REGISTRY, multiprocess_mode="livemin")


def scrape_registry() -> CollectorRegistry:
    """What a scrape reports: this process, or every worker's files added up."""
    if not MULTIPROCESS:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def worker_stopped() -> None:
    """A stopping worker's live gauges leave the sums (its counters stay counted)."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())


def webhook_failed(reason: str) -> None:
    WEBHOOK_FAILURES.labels(reason=reason).inc()


def send_failed(outcome: str) -> None:
    SEND_FAILURES.labels(outcome=outcome).inc()


def storage_error(code: str) -> None:
    STORAGE_ERRORS.labels(code=code).inc()
