"""One gate for every HTTP request, before any route sees it.

- No body is read past its route's limit: a declared Content-Length over it is
  refused at once (413), and a streamed body is counted as it arrives.
- Text that PostgreSQL or JSON cannot hold is refused with a 4xx naming the
  field: NUL bytes (path, query, form and JSON fields), lone surrogates, and
  the JSON numbers NaN, Infinity and overflowing ones like 1e400.

Storage routes answer in Supabase Storage's error shape; the rest as FastAPI does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MiB = 1024 * 1024
# (method, path prefix) -> largest body accepted.
LIMITS: list[tuple[str, str, int]] = []
DEFAULT_LIMIT = 1 * MiB
# Storage's JSON endpoints under /object/ (everything else there carries file bytes).
STORAGE_JSON = ("/storage/v1/object/sign/", "/storage/v1/object/list/")


def streams_file_bytes(method: str, path: str) -> bool:
    """File uploads pass through unread: the Storage gateway streams them to disk against
    the bucket's own size limit and checks their metadata itself."""
    if method not in ("POST", "PUT") or not path.startswith("/storage/v1/object/"):
        return False
    if path.startswith(STORAGE_JSON):
        return False
    return not (method == "POST" and path.startswith("/storage/v1/object/upload/sign/"))


class BadInput(Exception):
    def __init__(self, status: int, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.status, self.field, self.problem = status, field, problem


def limit_for(method: str, path: str) -> int:
    for m, prefix, limit in LIMITS:
        if method == m and path.startswith(prefix):
            return limit
    return DEFAULT_LIMIT


def _bad_text(value: str) -> str | None:
    if "\x00" in value:
        return "NUL bytes are not allowed"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (no lone surrogates)"
    return None


def _reject_constant(name: str) -> Any:
    raise BadInput(422, "body", f"{name} is not a number JSON allows")


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise BadInput(422, "body", f"{text} is out of range")
    return value


def unstorable(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(field, problem) for every string, key or number that cannot be stored."""
    if isinstance(value, str):
        problem = _bad_text(value)
        if problem:
            yield where, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = _bad_text(key)
            if problem:
                yield where, f"a field name: {problem}"
            yield from unstorable(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unstorable(item, f"{where}[{index}]")


def check_json(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(400, "body", "is not UTF-8") from exc
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_parse_float)
    except ValueError:
        return  # not JSON at all: the route's own parser answers (422)
    for field, problem in unstorable(value, "body"):
        raise BadInput(422, field, problem)


def check_pairs(text: str, *, what: str, max_fields: int) -> None:
    """Every key and value of a form or query string is storable text (400 naming it)."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=max_fields)
    except ValueError as exc:
        raise BadInput(400, what, "is not valid") from exc
    for key, value in pairs:
        problem = _bad_text(key) or _bad_text(value)
        if problem:
            raise BadInput(400, key, problem)


def check_form(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(400, "body", "is not a form") from exc
    check_pairs(text, what="body", max_fields=500)


def check_target(scope: Scope) -> None:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    if b"\x00" in unquote_to_bytes(raw_path):
        raise BadInput(400, "path", "NUL bytes are not allowed")
    try:
        query = scope.get("query_string", b"").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(400, "query", "is not a valid query string") from exc
    check_pairs(query, what="query", max_fields=200)


def error_response(path: str, exc: BadInput) -> JSONResponse:
    message = f"{exc.field}: {exc.problem}"
    if path.startswith("/storage/v1/"):
        return JSONResponse({"statusCode": str(exc.status), "error": "InvalidRequest",
                             "message": message}, status_code=400 if exc.status != 413 else 413)
    return JSONResponse({"detail": message, "field": exc.field}, status_code=exc.status)


class RequestGuard:
    """ASGI middleware: body limits and unstorable text, for every HTTP route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "GET")
        try:
            check_target(scope)
            if streams_file_bytes(method, path):
                await self.app(scope, receive, send)
                return
            body = await self._read(scope, receive, limit_for(method, path))
            self._check_body(scope, body)
        except BadInput as exc:
            await error_response(path, exc)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    async def _read(scope: Scope, receive: Receive, limit: int) -> bytes:
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise BadInput(413, "body", f"is larger than this route accepts ({limit} bytes)")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BadInput(413, "body", f"is larger than this route accepts ({limit} bytes)")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    def _check_body(scope: Scope, body: bytes) -> None:
        if not body:
            return
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if ctype == b"application/json" or ctype.endswith(b"+json"):
            check_json(body)
        elif ctype == b"application/x-www-form-urlencoded":
            check_form(body)


def _replay(body: bytes, upstream: Receive) -> Receive:
    """The body read above, then whatever the client does next (a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive
