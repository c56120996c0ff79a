"""Uploads are streamed: the size limit holds while reading, before the body is all in."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from psycopg import AsyncConnection

from app.config import Settings
from tests.support.server import LiveServer
from tests.support.tenants import Tenant

EVIDENCE_LIMIT = 10 * 1024 * 1024


def part_files(settings: Settings) -> set[str]:
    return {str(p) for p in settings.local_storage_dir.rglob("*.part")}


async def test_a_declared_oversized_body_is_refused_before_it_is_sent(
    live_server: LiveServer, tenant: Tenant
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{uuid.uuid4()}.png"
    reader, writer = await asyncio.open_connection("127.0.0.1", live_server.port)
    writer.write((f"POST /storage/v1/object/evidence/{path} HTTP/1.1\r\n"
                  f"Host: 127.0.0.1\r\nAuthorization: Bearer {tenant.tokens['citizen']}\r\n"
                  f"Content-Type: image/png\r\nContent-Length: {50 * 2**20}\r\n\r\n").encode())
    await writer.drain()
    # not one byte of the 50 MiB body is sent: the answer comes anyway
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
    writer.close()
    assert head.startswith(b"HTTP/1.1 400")  # Supabase's shape: statusCode 413 in the body
    body = await asyncio.wait_for(reader.read(2000), timeout=5)
    assert b'"statusCode":"413"' in body


async def test_a_streamed_body_past_the_limit_stops_there_and_leaves_nothing(
    api: httpx.AsyncClient, tenant: Tenant, settings: Settings, db: AsyncConnection[Any]
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{uuid.uuid4()}.png"
    before = part_files(settings)

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length to judge by
        yield b"\x89PNG\r\n\x1a\n"
        for _ in range(40):
            yield b"\0" * (512 * 1024)

    try:
        response = await api.post(f"/storage/v1/object/evidence/{path}", content=chunks(),
                                  headers={**tenant.auth("citizen"), "content-type": "image/png"})
        assert response.status_code == 400
        assert response.json()["statusCode"] == "413"
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
        pass  # the server may close the connection before the client finishes sending
    assert part_files(settings) == before
    cur = await db.execute("select count(*) as n from storage.objects where name = %s", (path,))
    assert (await cur.fetchone())["n"] == 0


async def test_a_multipart_upload_within_the_limit_is_stored_whole(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{uuid.uuid4()}.png"
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 12_000  # about 3 MiB, several batches
    response = await api.post(f"/storage/v1/object/evidence/{path}",
                              files={"file": ("photo.png", data, "image/png")},
                              data={"cacheControl": "60"}, headers=tenant.auth("citizen"))
    assert response.status_code == 200, response.text
    back = await api.get(f"/storage/v1/object/evidence/{path}", headers=tenant.auth("citizen"))
    assert back.content == data
    info = await api.get(f"/storage/v1/object/info/evidence/{path}",
                         headers=tenant.auth("citizen"))
    assert info.status_code == 200
