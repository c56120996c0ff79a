"""A connection as the Auth server makes it: logged in as supabase_auth_admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app import dbadmin


@pytest.fixture
async def auth_db(database_url: str) -> AsyncIterator[AsyncConnection[Any]]:
    """Auth's own connection (as supabase_auth_admin), in a transaction rolled back."""
    url = dbadmin.with_user(database_url, "supabase_auth_admin")
    conn = await AsyncConnection.connect(url, row_factory=dict_row)
    try:
        await conn.execute("begin")
        yield conn
    finally:
        await conn.rollback()
        await conn.close()
