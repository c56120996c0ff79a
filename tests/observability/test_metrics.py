"""`/metrics` is scraped like Prometheus does, and says what operators need."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from app.config import Settings
from app.main import create_app
from tests.support.server import LiveServer
from tests.support.tenants import Tenant


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_a_scrape_counts_requests_per_route_and_reads_pool_outbox_and_realtime(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    before = samples((await api.get("/metrics")).text)
    for _ in range(3):
        assert (await api.get("/api/v1/tickets", headers=tenant.auth("manager"))).status_code \
            == 200
    assert (await api.get("/api/v1/tickets/not-a-uuid",
                          headers=tenant.auth("manager"))).status_code == 422
    response = await api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)

    route = {"method": "GET", "route": "/api/v1/tickets"}
    counted = (value(after, "salga_http_requests_total", status="200", **route)
               - value(before, "salga_http_requests_total", status="200", **route))
    assert counted == 3
    detail = {"method": "GET", "route": "/api/v1/tickets/{ticket_id}", "status": "422"}
    assert value(after, "salga_http_requests_total", **detail) >= 1
    assert value(after, "salga_http_request_duration_seconds_count", **route) >= 3
    # raw paths never become labels (an id per series would explode the store)
    assert not any("not-a-uuid" in str(key) for key in after)
    assert value(after, "salga_db_pool_max_connections") == 10
    assert value(after, "salga_db_pool_connections") >= 1
    assert ("salga_outbox_depth", (("status", "pending"),)) in after
    assert ("salga_outbox_oldest_age_seconds", ()) in after
    assert ("salga_realtime_clients", ()) in after
    assert value(after, "salga_realtime_listener_connected") == 1


async def test_outside_development_metrics_need_the_token(database_url: str) -> None:
    settings = Settings(supabase_url="", database_url=database_url, environment="production",
                        metrics_token="scrape-secret-0123456789")
    server = LiveServer(create_app(settings)).start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
            assert (await client.get("/metrics")).status_code == 401
            wrong = {"Authorization": "Bearer nope"}
            assert (await client.get("/metrics", headers=wrong)).status_code == 401
            right = {"Authorization": "Bearer scrape-secret-0123456789"}
            ok = await client.get("/metrics", headers=right)
            assert ok.status_code == 200
            assert "salga_http_requests_total" in ok.text
    finally:
        server.stop()
