"""Bad input gets a clear 4xx naming the field, on every surface, and changes
nothing; no body is read past its route's limit."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.support.tenants import Tenant

REPORT = {"category": "water", "description": "Burst pipe on the corner", "address": "1 Main Rd"}


def raw_json(text: str, auth: dict[str, str]) -> dict[str, Any]:
    return {"content": text.encode("utf-8", "surrogatepass"),
            "headers": {**auth, "content-type": "application/json"}}


@pytest.mark.parametrize("body,field", [
    ('{"category": "water", "description": "Burst\\u0000pipe", "address": "1 Main Rd"}',
     "body.description"),
    ('{"category": "water", "description": "Burst pipe here", "latitude": NaN,'
     ' "longitude": 28.0}', "body"),
    ('{"category": "water", "description": "Burst pipe here", "latitude": Infinity,'
     ' "longitude": 28.0}', "body"),
    ('{"category": "water", "description": "Burst pipe here", "latitude": 1e400,'
     ' "longitude": 28.0}', "body"),
    ('{"category": "water", "description": "Burst \\ud800 pipe", "address": "1 Main Rd"}',
     "body.description"),
    ('{"category": "water", "description": "Burst pipe", "address": "1\\u0000 Main"}',
     "body.address"),
])
async def test_unstorable_json_is_a_4xx_naming_the_field(
    api: httpx.AsyncClient, tenant: Tenant, body: str, field: str
) -> None:
    response = await api.post("/api/v1/reports", **raw_json(body, tenant.auth("citizen")))
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"].startswith(field)


@pytest.mark.parametrize("path", [
    "/api/v1/tickets?status=open%00", "/api/v1/tickets/%00", "/api/v1/tickets?cursor=%00x",
])
async def test_nul_in_the_path_or_query_is_a_400(
    api: httpx.AsyncClient, tenant: Tenant, path: str
) -> None:
    response = await api.get(path, headers=tenant.auth("manager"))
    assert response.status_code == 400, response.text


async def test_a_nul_in_a_verification_decision_note_is_a_4xx(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    response = await api.post(
        f"/api/v1/verification/cases/{tenant.users['citizen']}/decision",
        **raw_json(json.dumps({"decision": "verified", "note": "ok\u0000"}),
                   tenant.auth("manager")))
    assert response.status_code == 422 and "body.note" in response.text


async def _declared(api: httpx.AsyncClient, path: str, length: int,
                    headers: dict[str, str]) -> int:
    """Send only the head of a request declaring `length` bytes; the status line."""
    url = httpx.URL(str(api.base_url))
    reader, writer = await asyncio.open_connection(url.host, url.port)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(f"POST {path} HTTP/1.1\r\nhost: {url.host}\r\n{head}"
                 f"content-length: {length}\r\n\r\n".encode())
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), timeout=10)
    writer.close()
    return int(status.split()[1])


async def test_no_body_is_read_past_its_routes_limit(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    auth = tenant.auth("citizen")
    assert await _declared(api, "/api/v1/reports", 50 * 1024 * 1024,
                           {**auth, "content-type": "application/json"}) == 413
    folder = f"{tenant.id}/{tenant.users['citizen']}"
    # Storage answers in Supabase's shape: HTTP 400 carrying statusCode 413 (the upload
    # streaming tests read that body); the answer comes before a byte of the body is sent.
    assert await _declared(api, f"/storage/v1/object/evidence/{folder}/big.jpg",
                           150 * 1024 * 1024, {**auth, "content-type": "image/jpeg"}) == 400

    async def endless() -> Any:
        for _ in range(64):
            yield b" " * 65536  # 4 MiB, streamed without a length

    streamed = await api.post("/api/v1/reports", content=endless(), headers={
        **auth, "content-type": "application/json"})
    assert streamed.status_code == 413


@pytest.mark.parametrize("body,field", [
    ({"expiresIn": "soon"}, "expiresIn"),
    ({"expiresIn": [1]}, "expiresIn"),
])
async def test_storage_signing_names_the_bad_field(
    api: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any], field: str
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/x.jpg"
    response = await api.post(f"/storage/v1/object/sign/evidence/{path}", json=body,
                              headers=tenant.auth("citizen"))
    assert response.status_code == 400 and field in response.json()["message"]


@pytest.mark.parametrize("body,field", [
    ({"prefix": "", "limit": "many"}, "limit"),
    ({"prefix": "", "offset": "x"}, "offset"),
    ({"prefix": "", "sortBy": "name"}, "sortBy"),
])
async def test_storage_listing_names_the_bad_field(
    api: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any], field: str
) -> None:
    response = await api.post("/storage/v1/object/list/evidence", json=body,
                              headers=tenant.auth("citizen"))
    assert response.status_code == 400 and field in response.json()["message"]


async def test_storage_bad_multipart_metadata_and_nul_paths_are_400(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    folder = f"{tenant.id}/{tenant.users['citizen']}"
    response = await api.post(
        f"/storage/v1/object/evidence/{folder}/m.jpg", headers=tenant.auth("citizen"),
        files={"": ("m.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")},
        data={"metadata": "{not json", "cacheControl": "3600"})
    assert response.status_code == 400 and "metadata" in response.json()["message"]
    response = await api.get(f"/storage/v1/object/evidence/{folder}/a%00b.jpg",
                             headers=tenant.auth("citizen"))
    assert response.status_code == 400 and "path" in response.json()["message"]


async def test_a_nul_in_a_webhook_field_is_a_400_naming_it(api: httpx.AsyncClient) -> None:
    response = await api.post("/webhooks/twilio/whatsapp",
                              data={"MessageSid": "SM" + "a" * 32, "Body": "hi\x00"})
    assert response.status_code == 400 and "Body" in response.text
