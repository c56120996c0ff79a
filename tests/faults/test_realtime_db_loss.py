"""The Realtime gateway loses its database (PostgreSQL restarts) while ticket
events are being committed: every client gets every committed event exactly once."""

from __future__ import annotations

import asyncio
import json

import psycopg
import websockets

from app.config import Settings
from app.main import create_app
from tests.faults.cluster import ThrowawayCluster
from tests.realtime.support import ticket_event
from tests.support.server import LiveServer
from tests.support.tenants import create_tenant

CLIENTS = 4
EVENTS = 60


async def listen(url: str, topic: str, token: str, got: list[str], joined: asyncio.Event,
                 done: asyncio.Event) -> None:
    async with websockets.connect(url, ping_interval=None) as ws:
        await ws.send(json.dumps(["1", "1", f"realtime:{topic}", "phx_join",
                                  {"config": {"private": True}, "access_token": token}]))
        reply = json.loads(await ws.recv())
        assert reply[4]["status"] == "ok", reply
        joined.set()
        while not (done.is_set() and len(got) >= EVENTS):
            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.5))
            except TimeoutError:
                if done.is_set():
                    return
                continue
            if frame[3] == "broadcast":
                got.append(frame[4]["payload"]["tracking_number"])


async def commit_event(url: str, topic: str, number: str) -> None:
    """Commit one event, retrying while the database is down; never twice."""
    for _ in range(200):
        try:
            async with await psycopg.AsyncConnection.connect(url) as conn:
                cur = await conn.execute(
                    "select count(*) from realtime.messages where topic = %s"
                    " and payload ->> 'tracking_number' = %s", (topic, number))
                row = await cur.fetchone()
                if row and row[0]:
                    return  # an earlier try did commit
                await conn.execute("select realtime.send(%s::jsonb, 'ticket_changed', %s)",
                                   (json.dumps(ticket_event(tracking_number=number)), topic))
                await conn.commit()
                return
        except psycopg.OperationalError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"could not commit {number}")


async def test_a_restart_under_the_gateway_loses_and_doubles_no_event(
    cluster: ThrowawayCluster, fault_settings: Settings
) -> None:
    tenant = await create_tenant(cluster.url, fault_settings.supabase_jwt_secret,
                                 roles=("manager",))
    topic = f"municipality:{tenant.id}"
    server = LiveServer(create_app(fault_settings)).start()
    try:
        ws_url = (server.base_url.replace("http", "ws") + "/realtime/v1/websocket"
                  f"?apikey={fault_settings.supabase_anon_key}&vsn=2.0.0")
        received: list[list[str]] = [[] for _ in range(CLIENTS)]
        joined = [asyncio.Event() for _ in range(CLIENTS)]
        done = asyncio.Event()
        clients = [asyncio.create_task(listen(ws_url, topic, tenant.tokens["manager"],
                                              received[i], joined[i], done))
                   for i in range(CLIENTS)]
        await asyncio.wait_for(asyncio.gather(*(j.wait() for j in joined)), timeout=15)

        numbers = [f"TKT-R{i:03d}" for i in range(EVENTS)]

        async def writer() -> None:
            for number in numbers:
                await commit_event(cluster.url, topic, number)
                await asyncio.sleep(0.02)

        async def restart() -> None:
            await asyncio.sleep(0.4)
            await asyncio.to_thread(cluster.restart)

        await asyncio.gather(writer(), restart())
        await asyncio.sleep(3)  # the gateway reconnects, catches up, and checkpoints
        done.set()
        await asyncio.wait_for(asyncio.gather(*clients), timeout=20)
    finally:
        server.stop()
    for got in received:
        assert sorted(got) == numbers, (len(got), sorted(set(numbers) - set(got)))
        assert len(got) == len(set(got))
