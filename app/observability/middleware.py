"""One ASGI middleware: request id, per-route metrics and one JSON access line.

Pure ASGI (no BaseHTTPMiddleware), so streaming bodies and WebSockets pass
through untouched and the cost per request is a few microseconds.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.telemetry import metrics, requestid

log = logging.getLogger("salga.access")


def route_of(scope: Scope) -> str:
    """The route template (`/api/v1/tickets/{ticket_id}`), never the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        offered = _header(scope, requestid.HEADER.encode())
        request_id = requestid.new_id(offered)
        token = requestid.bind(request_id)
        status = {"code": 500}
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((requestid.HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            # a WebSocket's frames pass untouched (its broadcasts are the hot path)
            await self.app(scope, receive,
                           send_with_id if scope["type"] == "http" else send)
        finally:
            requestid.unbind(token)
            if scope["type"] == "http":
                self._record(scope, status["code"], time.perf_counter() - started, request_id)

    @staticmethod
    def _record(scope: Scope, code: int, seconds: float, request_id: str) -> None:
        route, method = route_of(scope), scope.get("method", "GET")
        metrics.REQUESTS.labels(method=method, route=route, status=str(code)).inc()
        metrics.LATENCY.labels(method=method, route=route).observe(seconds)
        if log.isEnabledFor(logging.INFO):
            log.info("request", extra={"request_id": request_id, "method": method,
                                       "route": route, "status": code,
                                       "duration_ms": round(seconds * 1000, 2)})


def _header(scope: Scope, name: bytes) -> str | None:
    headers: Any = scope.get("headers") or []
    for key, value in headers:
        if key == name:
            return bytes(value).decode("latin-1")
    return None
