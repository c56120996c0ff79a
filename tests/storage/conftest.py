"""Tickets to attach files to, and real Storage clients pointed at the live server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from storage3 import AsyncStorageClient

from app.config import Settings
from tests.support.server import LiveServer
from tests.support.tenants import Tenant


@dataclass
class Tickets:
    ordinary: uuid.UUID
    sensitive: uuid.UUID


async def add_tickets(url: str, tenant: Tenant) -> Tickets:
    async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
        cur = await conn.execute(
            "insert into public.tickets (tenant_id, reporter_id, category, description)"
            " values (%s, %s, 'water', 'Burst pipe on Main Road') returning id",
            (tenant.id, tenant.users["citizen"]))
        ordinary = (await cur.fetchone())["id"]  # type: ignore[index]
        cur = await conn.execute(
            "insert into public.tickets (tenant_id, reporter_id, category, is_sensitive,"
            " encrypted_description) values (%s, %s, 'gbv', true, 'ciphertext') returning id",
            (tenant.id, tenant.users["citizen"]))
        sensitive = (await cur.fetchone())["id"]  # type: ignore[index]
        await conn.commit()
    return Tickets(ordinary=ordinary, sensitive=sensitive)


@pytest.fixture(scope="session")
async def tickets(database_url: str, tenant: Tenant) -> Tickets:
    return await add_tickets(database_url, tenant)


@pytest.fixture
async def storage_as(
    live_server: LiveServer, settings: Settings
) -> AsyncIterator[Callable[[str], AsyncStorageClient]]:
    """`storage_as(token)`: a storage3 client as Supabase clients build it."""
    clients: list[AsyncStorageClient] = []

    def make(token: str) -> AsyncStorageClient:
        client = AsyncStorageClient(
            f"{live_server.base_url}/storage/v1/",
            {"apikey": settings.supabase_anon_key, "Authorization": f"Bearer {token}"})
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.session.aclose()


def unique_name(ext: str = "jpg") -> str:
    return f"{uuid.uuid4()}.{ext}"


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def real_image(fmt: str) -> bytes:
    """A small image that passes the post-upload check (the check re-encodes it)."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, format=fmt)
    return buf.getvalue()


async def run_checks(live_server: LiveServer) -> None:
    """The post-upload check, as the worker runs it, over every pending file."""
    from app.media.worker import scan_pending

    app = live_server._server.config.app  # type: ignore[attr-defined]
    await scan_pending(app.state.pool, app.state.storage)


def error_status(exc: Any) -> str:
    """The `statusCode` Supabase puts in an error body (storage3 keeps it as `status`)."""
    return str(exc.status)
