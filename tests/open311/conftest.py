"""An Open311 integrator's view: a municipality with teams, client keys made by
`salga open311 key add`, and a client that speaks JSON or XML — every XML
body is validated against the GeoReport v2 shapes (georeport_v2.xsd)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import Settings
from app.open311 import service as open311
from tests.test_cli import salga
from tests.tickets.conftest import City, build_city

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("georeport_v2.xsd"))))
BASE = "/open311/v2"


LISTS = {"services", "service_requests", "errors", "service_requests_updates",
         "service_request_updates", "attributes", "endpoints", "formats",
         "possible_duplicates"}


def xml_to_data(element: Any) -> Any:
    """The Spark mapping back: plural elements become lists, records dicts."""
    if element.tag in LISTS:
        return [xml_to_data(c) for c in element]
    if len(element) == 0:
        return element.text or ""
    return {c.tag: xml_to_data(c) for c in element}


@dataclass
class Open311:
    api: httpx.AsyncClient
    code: str

    async def call(self, method: str, path: str, fmt: str, *, form: dict[str, Any] | None = None,
                   **params: Any) -> tuple[int, Any]:
        """Status and body; XML is validated against the schema, then mapped like JSON."""
        query = {"jurisdiction_id": self.code, **params}
        query = {k: v for k, v in query.items() if v is not None}
        response = await self.api.request(method, f"{BASE}/{path}.{fmt}", params=query,
                                          data=form)
        if fmt == "xml":
            assert response.headers["content-type"].startswith("text/xml"), response.text
            assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
            document = etree.fromstring(response.content)
            assert SCHEMA.validate(document), (SCHEMA.error_log, response.text)
            return response.status_code, xml_to_data(document)
        assert response.headers["content-type"].startswith("application/json"), response.text
        return response.status_code, json.loads(response.content)

    async def get(self, path: str, fmt: str = "json", **params: Any) -> tuple[int, Any]:
        return await self.call("GET", path, fmt, **params)

    async def post(self, path: str, fmt: str = "json", **form: Any) -> tuple[int, Any]:
        return await self.call("POST", path, fmt, form={k: v for k, v in form.items()
                                                        if v is not None})


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


def make_key(database_url: str, code: str, name: str) -> str:
    made = salga(database_url, "open311", "key", "add", "--municipality", code, "--name", name)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


async def quick_key(database_url: str, code: str, name: str) -> str:
    """A key made in-process (the CLI itself is tested with `make_key`)."""
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn, \
            conn.transaction():
        return await open311.add_key(conn, code=code, name=name)


@pytest.fixture(scope="module")
async def key(town: City, database_url: str) -> str:
    return await quick_key(database_url, town.tenant.code, "FixMyStreet")


@pytest.fixture
def o311(api: httpx.AsyncClient, town: City) -> Open311:
    return Open311(api, town.tenant.code)
