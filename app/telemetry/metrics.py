"""Prometheus metrics: what operators watch, scraped at `/metrics`.

Counters and histograms live in one registry per process. Gauges that describe
state (the pool, the outbox, realtime clients) are read when scraped, so they
are never stale. With several uvicorn workers each process answers for itself;
scrape each, or put the replicas behind a service discovery that does.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

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

POOL_SIZE = Gauge("salga_db_pool_connections", "Connections the pool holds.",
                  registry=REGISTRY)
POOL_IN_USE = Gauge("salga_db_pool_connections_in_use", "Connections lent out right now.",
                    registry=REGISTRY)
POOL_WAITING = Gauge("salga_db_pool_requests_waiting", "Requests waiting for a connection.",
                     registry=REGISTRY)
POOL_MAX = Gauge("salga_db_pool_max_connections", "The pool's ceiling.", registry=REGISTRY)
OUTBOX_DEPTH = Gauge("salga_outbox_depth", "Notifications waiting to be sent, by status.",
                     ["status"], registry=REGISTRY)
OUTBOX_AGE = Gauge("salga_outbox_oldest_age_seconds",
                   "Age of the oldest notification still waiting to be sent.", registry=REGISTRY)
REALTIME_CLIENTS = Gauge("salga_realtime_clients", "Open Realtime WebSocket connections.",
                         registry=REGISTRY)
REALTIME_CHANNELS = Gauge("salga_realtime_channels", "Joined Realtime channels.",
                          registry=REGISTRY)
REALTIME_DB_CONNECTED = Gauge(
    "salga_realtime_listener_connected", "1 while the Realtime listener holds its connection.",
    registry=REGISTRY)


def webhook_failed(reason: str) -> None:
    WEBHOOK_FAILURES.labels(reason=reason).inc()


def send_failed(outcome: str) -> None:
    SEND_FAILURES.labels(outcome=outcome).inc()


def storage_error(code: str) -> None:
    STORAGE_ERRORS.labels(code=code).inc()
