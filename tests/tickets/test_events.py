"""What a ticket change tells the world: the outbox (reporter's WhatsApp) and
realtime.messages (the dashboard) — and, for sensitive tickets, nothing personal."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import AsyncConnection

from tests.tickets.conftest import City, fetch, file

PAYLOAD_KEYS = {"id", "tracking_number", "status", "category", "assigned_team_id", "sla_status",
                "operation"}


async def messages(owner: AsyncConnection[Any], ticket_id: str) -> list[dict[str, Any]]:
    return await fetch(owner, "select * from realtime.messages where payload ->> 'id' = %s"
                       " order by inserted_at, payload ->> 'operation'", ticket_id)


async def test_a_status_change_enqueues_one_message_for_the_reporter(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    ticket = await file(api, city)
    assert await fetch(owner, "select * from public.notification_outbox where ticket_id = %s",
                       ticket["id"]) == []
    await api.patch(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "in_progress"},
                    headers=city.auth("manager"))
    await api.post(f"/api/v1/tickets/{ticket['id']}/assign", json={},
                   headers=city.auth("manager"))
    rows = await fetch(owner, "select * from public.notification_outbox where ticket_id = %s",
                       ticket["id"])
    [profile] = await fetch(owner, "select phone, preferred_language from public.profiles"
                            " where id = %s", city.tenant.users["citizen"])
    assert len(rows) == 1
    row = rows[0]
    assert row["recipient"] == profile["phone"] and row["language"] == "en"
    assert row["template_key"] == "ticket_status_changed" and row["status"] == "pending"
    assert row["tenant_id"] == city.tenant.id
    assert row["variables"] == {"tracking_number": ticket["tracking_number"],
                                "status": "in_progress"}


async def test_a_sensitive_ticket_enqueues_nothing(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    ticket = await file(api, city, category="gbv", sensitive=True)
    for status in ("in_progress", "resolved", "closed"):
        response = await api.patch(f"/api/v1/tickets/{ticket['id']}/status",
                                   json={"status": status}, headers=city.auth("saps_liaison"))
        assert response.status_code == 200
    assert await fetch(owner, "select * from public.notification_outbox where ticket_id = %s",
                       ticket["id"]) == []


async def test_ticket_events_go_to_the_municipality_topic_and_the_team_topic(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    ticket = await file(api, city, description="Water everywhere near number 7")
    await api.patch(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "in_progress"},
                    headers=city.auth("manager"))
    every = await messages(owner, ticket["id"])
    team_topic = f"team:{city.teams['Water North']}"
    assert sorted((r["payload"]["operation"], r["topic"]) for r in every) == sorted(
        (op, topic) for op in ("INSERT", "UPDATE")
        for topic in (f"municipality:{city.tenant.id}", team_topic))
    rows = [r for r in every if r["topic"] == f"municipality:{city.tenant.id}"]
    assert [r["payload"] for r in rows] == [
        r["payload"] for r in every if r["topic"] == team_topic]
    for row in rows:
        assert row["event"] == "ticket_changed" and row["private"] is True
        assert row["extension"] == "broadcast"
        assert set(row["payload"]) == PAYLOAD_KEYS
        assert "number 7" not in str(row["payload"])
    assert rows[-1]["payload"]["status"] == "in_progress"
    assert rows[-1]["payload"]["assigned_team_id"] == str(city.teams["Water North"])
    assert rows[-1]["payload"]["sla_status"] == "on_track"


async def test_sensitive_ticket_events_go_only_to_the_gbv_topic(
    api: httpx.AsyncClient, city: City, owner: AsyncConnection[Any]
) -> None:
    ticket = await file(api, city, category="gbv", sensitive=True, description="Private words")
    await api.patch(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "in_progress"},
                    headers=city.auth("saps_liaison"))
    rows = await messages(owner, ticket["id"])
    assert len(rows) == 2
    assert {r["topic"] for r in rows} == {f"gbv:{city.tenant.id}"}
    assert all(set(r["payload"]) == PAYLOAD_KEYS for r in rows)
    assert "Private" not in str([r["payload"] for r in rows])


async def test_a_field_worker_hears_of_their_teams_tickets_live_and_of_nothing_else(
    api: httpx.AsyncClient, city: City, live_server: Any, settings: Any
) -> None:
    import asyncio

    from realtime import AsyncRealtimeClient, RealtimeSubscribeStates

    client = AsyncRealtimeClient(f"{live_server.base_url}/realtime/v1",
                                 token=settings.supabase_anon_key, auto_reconnect=False)
    await client.connect()
    try:
        await client.set_auth(city.tenant.tokens["field_worker"])
        heard: list[dict[str, Any]] = []
        states: dict[str, str] = {}
        for topic in (f"team:{city.teams['Water North']}", f"municipality:{city.tenant.id}"):
            channel = client.channel(topic, {"config": {"private": True}})
            channel.on_broadcast("ticket_changed", lambda m: heard.append(m["payload"]))
            await channel.subscribe(lambda s, e, t=topic: states.__setitem__(t, str(s)))
        for _ in range(100):
            if len(states) == 2:
                break
            await asyncio.sleep(0.05)
        assert states == {
            f"team:{city.teams['Water North']}": str(RealtimeSubscribeStates.SUBSCRIBED),
            f"municipality:{city.tenant.id}": str(RealtimeSubscribeStates.CHANNEL_ERROR)}
        theirs = await file(api, city)  # routed to Water North
        elsewhere = await file(api, city, category="roads")
        for _ in range(100):
            if heard:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        assert {p["id"] for p in heard} == {theirs["id"]}
        assert elsewhere["id"] not in {p["id"] for p in heard}
    finally:
        await client.close()
