"""One request id in the response, the log line and the audit entries it caused."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from app.observability.logs import JsonFormatter
from tests.support.tenants import Tenant


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def access_log() -> Any:
    handler = Collect()
    logger = logging.getLogger("salga.access")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


async def test_the_request_id_reaches_the_log_line_and_the_audit_entry(
    api: httpx.AsyncClient, tenant: Tenant, db: AsyncConnection[Any], access_log: Collect
) -> None:
    request_id = f"req-{uuid.uuid4().hex}"
    response = await api.post(
        "/api/v1/reports", headers={**tenant.auth("citizen"), "X-Request-ID": request_id},
        json={"category": "water", "description": "A burst pipe on Main Road",
              "latitude": -33.9, "longitude": 18.45})
    assert response.status_code == 201, response.text
    assert response.headers["x-request-id"] == request_id

    mine: list[dict[str, Any]] = []
    for _ in range(50):  # the line is written once the response has gone out
        mine = [line for line in map(json.loads, access_log.lines)
                if line.get("request_id") == request_id]
        if mine:
            break
        await asyncio.sleep(0.02)
    assert mine and mine[0]["route"] == "/api/v1/reports" and mine[0]["status"] == 201

    cur = await db.execute(
        "select table_name, request_id from public.audit_log where request_id = %s",
        (request_id,))
    entries = await cur.fetchall()
    assert {"tickets"} <= {row["table_name"] for row in entries}


async def test_an_unusable_offered_id_is_replaced_and_work_outside_requests_has_none(
    api: httpx.AsyncClient, db: AsyncConnection[Any]
) -> None:
    response = await api.get("/health", headers={"X-Request-ID": "bad id; drop"})
    issued = response.headers["x-request-id"]
    assert issued != "bad id; drop" and len(issued) == 32
    # the owner connection here is outside any request: no id is recorded
    cur = await db.execute("select nullif(current_setting('app.request_id', true), '') as r")
    assert (await cur.fetchone())["r"] is None
