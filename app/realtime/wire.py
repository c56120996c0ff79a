"""Broadcast frames written straight to each client's socket.

A broadcast to a thousand clients is the same bytes a thousand times: a
server's text frame is not masked, and we negotiate no compression. Through
ASGI each copy costs five layers of Python (Starlette's WebSocket, the
middlewares' wrappers, uvicorn's send, the websockets library framing it
again) around the one call that matters, `transport.write`. Profiled at 1,000
clients that wrapping was over half the gateway's CPU, so the gateway frames
each broadcast once and writes it to the transports itself, when:
- the ASGI server let us reach its transport (uvicorn hands the application
  its protocol's bound `send`; `ServerSocket` records it at the outermost
  layer), and the connection negotiated no extension (compression);
- nothing of the client's is waiting in its queue (order is kept: replies and
  system messages still go through ASGI, and a broadcast never overtakes them);
- the socket is not closing, and its unsent bytes are few (a client that reads
  slowly gets its frames queued and sent through ASGI, which waits for it, and
  is disconnected only when its queue overflows, as before).
Otherwise the frame goes through ASGI as before.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from starlette.types import ASGIApp, Receive, Scope, Send

SCOPE_KEY = "salga.realtime.server_send"
# Unsent bytes past which a client's frames are queued instead (asyncio's own
# high-water mark for pausing a writer).
BUFFER_LIMIT = 64 * 1024


def text_frame(payload: str) -> bytes:
    """One final, unmasked text frame (RFC 6455 5.2) carrying `payload`."""
    data = payload.encode()
    size = len(data)
    if size < 126:
        head = bytes((0x81, size))
    elif size < 65536:
        head = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return head + data


class ServerSocket:
    """Outermost ASGI layer: keeps the server's own `send` of each WebSocket in its scope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[SCOPE_KEY] = send
        await self.app(scope, receive, send)


@runtime_checkable
class Transport(Protocol):
    """What is used of an asyncio (or uvloop) transport."""

    def write(self, data: bytes) -> None: ...
    def is_closing(self) -> bool: ...
    def get_write_buffer_size(self) -> int: ...


def transport_of(scope: Scope) -> Transport | None:
    """The client's transport, if the server exposed it and the frames need no extension."""
    server = getattr(scope.get(SCOPE_KEY), "__self__", None)
    transport = getattr(server, "transport", None)
    if not isinstance(transport, Transport):
        return None
    connection: Any = getattr(server, "conn", server)
    extensions = getattr(connection, "extensions", None)
    if extensions is None or extensions:  # unknown, or compressed frames
        return None
    return transport


def write(transport: Transport, frame: bytes) -> bool:
    """Write one frame; False (nothing written) when the socket is closing or behind."""
    if transport.is_closing() or transport.get_write_buffer_size() > BUFFER_LIMIT:
        return False
    transport.write(frame)
    return True
