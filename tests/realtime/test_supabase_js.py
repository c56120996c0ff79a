"""The local Realtime gateway with the real @supabase/supabase-js, both protocol
versions: who receives which channel, refusals, token expiry."""

from __future__ import annotations

import pytest

from app.config import Settings
from tests.realtime.support import NodeSubscriber, send, ticket_event, token_with
from tests.support.server import LiveServer
from tests.support.tenants import Tenant

VSNS = ["1.0.0", "2.0.0"]


async def join(live_server: LiveServer, settings: Settings, **kwargs) -> NodeSubscriber:
    return await NodeSubscriber.start(live_server.base_url, settings, **kwargs)


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_manager_receives_their_municipalitys_ticket_events(
    live_server, settings, database_url, tenant: Tenant, vsn: str
) -> None:
    topic = f"municipality:{tenant.id}"
    client = await join(live_server, settings, topic=topic, token=tenant.tokens["manager"],
                        vsn=vsn, expect=2)
    assert (joined := await client.joined())["ready"] is True, joined
    first, second = ticket_event(status="in_progress"), ticket_event(status="resolved")
    await send(database_url, topic, first)
    await send(database_url, topic, second)
    result = await client.result()
    assert [m["payload"] for m in result["messages"]] == [first, second]
    assert {m["event"] for m in result["messages"]} == {"ticket_changed"}
    assert {m["type"] for m in result["messages"]} == {"broadcast"}


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_managers_join_to_the_gbv_channel_is_refused(
    live_server, settings, tenant: Tenant, vsn: str
) -> None:
    topic = f"gbv:{tenant.id}"
    client = await join(live_server, settings, topic=topic, token=tenant.tokens["manager"],
                        vsn=vsn)
    joined = await client.joined()
    assert joined["ready"] is False and joined["status"] == "CHANNEL_ERROR"
    assert ("Unauthorized: You do not have permissions to read from this Channel topic: "
            f"{topic}") in joined["error"]
    await client.result()


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_saps_liaison_receives_sensitive_ticket_events(
    live_server, settings, database_url, tenant: Tenant, vsn: str
) -> None:
    topic = f"gbv:{tenant.id}"
    client = await join(live_server, settings, topic=topic,
                        token=tenant.tokens["saps_liaison"], vsn=vsn, expect=1)
    assert (joined := await client.joined())["ready"] is True, joined
    event = ticket_event(category="gbv", status="open")
    await send(database_url, topic, event)
    result = await client.result()
    assert [m["payload"] for m in result["messages"]] == [event]


@pytest.mark.parametrize("vsn", VSNS)
async def test_another_municipalitys_staff_receive_nothing(
    live_server, settings, database_url, tenant: Tenant, other_tenant: Tenant, vsn: str
) -> None:
    intruder = await join(live_server, settings, topic=f"municipality:{tenant.id}",
                          token=other_tenant.tokens["admin"], vsn=vsn)
    assert (await intruder.joined())["ready"] is False
    await intruder.result()

    own = f"municipality:{other_tenant.id}"
    neighbour = await join(live_server, settings, topic=own,
                           token=other_tenant.tokens["manager"], vsn=vsn, expect=1)
    assert (joined := await neighbour.joined())["ready"] is True, joined
    await send(database_url, f"municipality:{tenant.id}", ticket_event())
    await send(database_url, f"gbv:{tenant.id}", ticket_event(category="gbv"))
    sentinel = ticket_event(tracking_number="TKT-SENTINEL")
    await send(database_url, own, sentinel)
    result = await neighbour.result()
    assert [m["payload"] for m in result["messages"]] == [sentinel]


@pytest.mark.parametrize("vsn", VSNS)
async def test_anon_is_refused(live_server, settings, tenant: Tenant, vsn: str) -> None:
    topic = f"municipality:{tenant.id}"
    client = await join(live_server, settings, topic=topic, token=None, vsn=vsn)
    joined = await client.joined()
    assert joined["ready"] is False
    assert "Unauthorized" in joined["error"]
    await client.result()


@pytest.mark.parametrize("vsn", VSNS)
async def test_an_expired_token_is_refused_at_join(
    live_server, settings, tenant: Tenant, vsn: str
) -> None:
    expired = token_with(settings, tenant.claims["manager"], lifetime=-5)
    client = await join(live_server, settings, topic=f"municipality:{tenant.id}",
                        token=expired, vsn=vsn)
    joined = await client.joined()
    assert joined["ready"] is False
    assert "InvalidJWTToken: Token has expired" in joined["error"]
    await client.result()


@pytest.mark.parametrize("vsn", VSNS)
async def test_a_channel_is_closed_when_its_token_expires(
    live_server, settings, database_url, tenant: Tenant, vsn: str
) -> None:
    topic = f"municipality:{tenant.id}"
    short = token_with(settings, tenant.claims["manager"], lifetime=3)
    client = await join(live_server, settings, topic=topic, token=short, vsn=vsn,
                        wait_close=True, wait_ms=10000)
    assert (joined := await client.joined())["ready"] is True, joined
    result = await client.result()
    assert result["closed"] is True
    assert any("Token has expired" in s["message"] and s["status"] == "error"
               for s in result["system"])
    await send(database_url, topic, ticket_event())  # nobody left to receive it
    assert result["messages"] == []
