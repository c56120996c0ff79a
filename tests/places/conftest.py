"""Places tests leave no places behind: a municipality's places change how the WhatsApp
conversation treats typed addresses, and the test municipality is shared."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from psycopg import AsyncConnection

from tests.support.tenants import Tenant


@pytest.fixture(autouse=True)
async def _no_places_left(tenant: Tenant, database_url: str) -> AsyncIterator[None]:
    yield
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("delete from public.places where tenant_id = %s", (tenant.id,))
        await conn.commit()
