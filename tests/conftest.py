"""Shared fixtures: a throwaway database built by our migrations, a live API
server on it, per-test rollback connections, and tenants with real tokens."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app import dbadmin
from app.config import Settings
from app.localdev import ensure_local_secrets
from app.main import create_app
from tests.support.server import LiveServer
from tests.support.tenants import Tenant, create_tenant

ensure_local_secrets()


def base_settings(**overrides: Any) -> Settings:
    """Local-mode settings for tests; SUPABASE_URL from the environment is ignored.

    One test server serves the whole suite from one address, so the Auth rate
    limits per address are raised (tests/authserver checks them on their own).
    """
    limits = {"auth_sign_in_limit": 100_000, "auth_verify_limit": 100_000}
    return Settings(supabase_url="", environment="test", **{**limits, **overrides})


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database: the local platform, then `alembic upgrade head`."""
    server_url = os.environ.get("SALGA_TEST_SERVER_URL", base_settings().database_url)
    name = f"salga_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    dbadmin.create_database(server_url, name)
    url = dbadmin.with_database(server_url, name)
    try:
        dbadmin.prepare(url, local_platform=True)
        yield url
    finally:
        dbadmin.drop_database(server_url, name)


@pytest.fixture(scope="session")
def message_library(database_url: str) -> None:
    """The approved default texts, for comparing what citizens receive."""
    from tests.support import texts

    texts.load(database_url)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return base_settings(database_url=database_url, db_pool_max=10)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(create_app(settings)).start()
    yield server
    server.stop()


@pytest.fixture
async def api(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the live API server."""
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncConnection[Any]]:
    """A connection as the database owner inside a transaction that is rolled back."""
    conn = await AsyncConnection.connect(database_url, row_factory=dict_row)
    try:
        await conn.execute("begin")
        yield conn
    finally:
        await conn.rollback()
        await conn.close()


@pytest.fixture(scope="session")
async def tenant(database_url: str, settings: Settings) -> Tenant:
    """A committed municipality with one user (and token) per role."""
    return await create_tenant(database_url, settings.supabase_jwt_secret)


@pytest.fixture(scope="session")
async def other_tenant(database_url: str, settings: Settings) -> Tenant:
    """A second municipality, for proving nothing crosses between them."""
    return await create_tenant(database_url, settings.supabase_jwt_secret)


@pytest.fixture
async def owner(database_url: str) -> AsyncIterator[AsyncConnection[Any]]:
    """An autocommit owner connection, to look behind the API."""
    conn = await AsyncConnection.connect(database_url, row_factory=dict_row, autocommit=True)
    try:
        yield conn
    finally:
        await conn.close()
