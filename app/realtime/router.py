"""`/realtime/v1/websocket`: the local stand-in for Supabase Realtime (local mode only)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI, WebSocket, status

from app.auth import TokenError
from app.realtime.gateway import ClientConnection, Gateway
from app.realtime.hub import Hub
from app.realtime.listener import MessageListener
from app.realtime.protocol import SUPPORTED_VSN, VSN_1


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start listening for committed messages with the app; stop with it."""
    hub = Hub()
    listener = MessageListener(app.state.settings.database_url, hub.publish)
    task = asyncio.create_task(listener.run(), name="realtime-listener")
    app.state.realtime = Gateway(
        hub=hub, pool=app.state.pool, verifier=app.state.verifier,
        shared_encoding=app.state.settings.realtime_shared_encoding,
        direct_writes=app.state.settings.realtime_direct_writes)
    app.state.realtime_listener = listener
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


router = APIRouter(tags=["realtime"], lifespan=lifespan)


@router.websocket("/realtime/v1/websocket")
async def websocket(ws: WebSocket) -> None:
    vsn = ws.query_params.get("vsn", VSN_1)
    apikey = ws.query_params.get("apikey") or ws.headers.get("apikey", "")
    gateway: Gateway = ws.app.state.realtime
    try:
        gateway.verifier.decode(apikey, allow_api_keys=True)
    except TokenError:
        await ws.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    if vsn not in SUPPORTED_VSN:
        await ws.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    listener: MessageListener = ws.app.state.realtime_listener
    await asyncio.wait_for(listener.ready.wait(), timeout=10)
    await ws.accept()
    gateway.clients += 1
    try:
        await ClientConnection(ws, gateway, vsn=vsn, apikey=apikey).serve()
    finally:
        gateway.clients -= 1
