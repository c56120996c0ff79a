"""The local Realtime gateway with Supabase's Python `realtime` client (vsn 1.0.0):
delivery, refusals, token refresh, and database reconnects that lose nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from psycopg import AsyncConnection
from realtime import AsyncRealtimeClient, RealtimeSubscribeStates

from app.realtime.listener import APPLICATION_NAME
from tests.realtime.support import send, ticket_event, token_with
from tests.support.tenants import Tenant


class Received:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.system: list[dict[str, Any]] = []
        self.states: list[tuple[str, str | None]] = []
        self.channel: Any = None

    def payloads(self) -> list[Any]:
        return [m["payload"] for m in self.messages]

    async def wait_for(self, count: int, timeout: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.messages) < count and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)


@pytest.fixture
async def realtime(live_server, settings) -> AsyncIterator[AsyncRealtimeClient]:
    client = AsyncRealtimeClient(f"{live_server.base_url}/realtime/v1",
                                 token=settings.supabase_anon_key, auto_reconnect=False)
    await client.connect()
    yield client
    await client.close()


async def subscribe(client: AsyncRealtimeClient, topic: str, token: str) -> Received:
    got = Received()
    await client.set_auth(token)
    channel = got.channel = client.channel(topic, {"config": {"private": True}})
    channel.on_broadcast("ticket_changed", got.messages.append)
    channel.on_system(got.system.append)
    await channel.subscribe(lambda state, err: got.states.append((str(state), str(err or ""))))
    return got


async def test_a_manager_receives_events(realtime, database_url, tenant: Tenant) -> None:
    topic = f"municipality:{tenant.id}"
    got = await subscribe(realtime, topic, tenant.tokens["manager"])
    assert got.states[0][0] == str(RealtimeSubscribeStates.SUBSCRIBED)
    event = ticket_event(status="assigned")
    await send(database_url, topic, event)
    await got.wait_for(1)
    assert got.payloads() == [event]


async def test_a_managers_gbv_join_is_refused(realtime, tenant: Tenant) -> None:
    got = await subscribe(realtime, f"gbv:{tenant.id}", tenant.tokens["manager"])
    state, error = got.states[0]
    assert state == str(RealtimeSubscribeStates.CHANNEL_ERROR)
    assert "You do not have permissions to read from this Channel topic" in error


async def test_a_refreshed_token_of_another_municipality_closes_the_channel(
    realtime, database_url, tenant: Tenant, other_tenant: Tenant
) -> None:
    topic = f"municipality:{tenant.id}"
    got = await subscribe(realtime, topic, tenant.tokens["manager"])
    assert got.states[0][0] == str(RealtimeSubscribeStates.SUBSCRIBED)
    await realtime.set_auth(other_tenant.tokens["manager"])
    for _ in range(200):
        if not got.channel.is_joined:
            break
        await asyncio.sleep(0.02)
    # The gateway's system error (as Supabase's) makes the client drop the channel.
    assert got.channel.is_errored or got.channel.is_closed
    await send(database_url, topic, ticket_event())
    await asyncio.sleep(0.3)
    assert got.messages == []


async def test_a_refreshed_valid_token_keeps_the_channel(
    realtime, settings, database_url, tenant: Tenant
) -> None:
    topic = f"municipality:{tenant.id}"
    got = await subscribe(realtime, topic, tenant.tokens["admin"])
    await realtime.set_auth(token_with(settings, tenant.claims["admin"], lifetime=600))
    event = ticket_event()
    await asyncio.sleep(0.2)
    await send(database_url, topic, event)
    await got.wait_for(1)
    assert got.payloads() == [event] and got.system == []


async def test_database_reconnects_lose_and_duplicate_nothing(
    realtime, database_url, tenant: Tenant
) -> None:
    """Messages committed while the gateway is cut off from the database arrive
    once it is back; messages it had already delivered do not arrive twice."""
    topic = f"municipality:{tenant.id}"
    got = await subscribe(realtime, topic, tenant.tokens["manager"])
    before = [ticket_event(tracking_number=f"TKT-B{i}") for i in range(3)]
    for event in before:
        await send(database_url, topic, event)
    await got.wait_for(3)

    during = [ticket_event(tracking_number=f"TKT-D{i}") for i in range(3)]
    async with await AsyncConnection.connect(database_url) as conn, conn.transaction():
        cur = await conn.execute(
            "select count(pg_terminate_backend(pid, 5000)) from pg_stat_activity "
            "where application_name = %s and datname = current_database()",
            (APPLICATION_NAME,))
        assert (await cur.fetchone())[0] == 1
        for event in during:  # committed while nobody is listening
            await conn.execute("select realtime.send(%s::jsonb, 'ticket_changed', %s)",
                               (json.dumps(event), topic))

    after = [ticket_event(tracking_number=f"TKT-A{i}") for i in range(3)]
    await asyncio.sleep(1.5)  # the gateway reconnects and catches up
    for event in after:
        await send(database_url, topic, event)
    await got.wait_for(9)
    await asyncio.sleep(0.5)
    numbers = [p["tracking_number"] for p in got.payloads()]
    assert sorted(numbers) == sorted(e["tracking_number"] for e in before + during + after)
    assert numbers[:3] == ["TKT-B0", "TKT-B1", "TKT-B2"]
    assert numbers[-3:] == ["TKT-A0", "TKT-A1", "TKT-A2"]
