"""`/docs` needs nothing from the internet: Swagger UI comes from our own server."""

from __future__ import annotations

import re

import httpx


async def test_the_docs_page_loads_its_assets_from_us(api: httpx.AsyncClient) -> None:
    page = (await api.get("/docs")).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "cdn" not in page.lower()
    for source in sources:
        asset = await api.get(source)
        assert asset.status_code == 200, source
    script = await api.get("/docs-assets/swagger-ui-bundle.js")
    assert "OAS31" in script.text or "openapi" in script.text.lower()
    assert (await api.get("/redoc")).status_code == 404
