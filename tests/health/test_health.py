from __future__ import annotations

import httpx

from app.main import create_app
from tests.conftest import base_settings
from tests.support.server import LiveServer


async def test_health_reports_the_database(api: httpx.AsyncClient) -> None:
    response = await api.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "mode": "local"}


async def test_docs_and_openapi_are_served(api: httpx.AsyncClient) -> None:
    assert (await api.get("/docs")).status_code == 200
    spec = (await api.get("/openapi.json")).json()
    assert "/health" in spec["paths"]


async def test_health_is_503_when_the_database_is_down() -> None:
    settings = base_settings(database_url="postgresql://postgres:x@127.0.0.1:1/none",
                             db_pool_min=0)
    server = LiveServer(create_app(settings)).start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
            response = await client.get("/health")
        assert response.status_code == 503
        assert response.json()["database"] == "unavailable"
    finally:
        server.stop()
