"""`/storage/v1`: the subset of Supabase Storage's HTTP API our clients use (local mode only).

Same paths, headers, bodies and error shapes as Supabase's server, so the real
supabase-js and storage3 clients work against it. Authorization is the
caller's JWT (or anon/service key): each statement runs as that role with
those claims, so the `storage.objects` policies decide.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from app.auth import TokenError, TokenVerifier
from app.guard import unstorable
from app.storage import errors, streaming
from app.storage.local import LocalStore
from app.telemetry import metrics


class StorageRoute(APIRoute):
    """Turns StorageError into Supabase's error body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.StorageError as exc:
                metrics.storage_error(exc.code)
                return exc.response()

        return run


router = APIRouter(prefix="/storage/v1", tags=["storage (local)"], route_class=StorageRoute,
                   include_in_schema=False)


def store(request: Request) -> LocalStore:
    found: LocalStore = request.app.state.local_store
    return found


def claims_of(request: Request) -> dict[str, Any]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.StorageError(400, "Error", "headers must have required property "
                                  "'authorization'", code="InvalidRequest")
    verifier: TokenVerifier = request.app.state.verifier
    try:
        return verifier.decode(token.strip(), allow_api_keys=True)
    except TokenError as exc:
        raise errors.access_denied(str(exc)) from exc


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise errors.invalid("body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise errors.invalid("body must be a JSON object")
    return body


def number(body: dict[str, Any], field: str, default: int) -> int:
    """An integer field of a JSON body; 400 naming the field otherwise."""
    value = body.get(field)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise errors.invalid(f"{field} must be a whole number")
    try:
        return int(value)
    except ValueError as exc:
        raise errors.invalid(f"{field} must be a whole number") from exc


def user_metadata(meta: Any) -> dict[str, Any] | None:
    """The multipart `metadata` field: a JSON object, or 400 naming it."""
    if not isinstance(meta, str) or not meta:
        return None
    try:
        found = json.loads(meta)
    except ValueError as exc:
        raise errors.invalid("metadata must be a JSON object") from exc
    if not isinstance(found, dict) or next(unstorable(found, "metadata"), None):
        raise errors.invalid("metadata must be a JSON object without NUL characters")
    return found


MULTIPART_OVERHEAD = 64 * 1024  # boundaries and the small form fields around the file


async def file_of(request: Request, bucket: str
                  ) -> tuple[AsyncIterator[bytes], str, str, dict[str, Any] | None]:
    """The body of an upload as a stream, its content type, cache-control and user metadata.

    Nothing past the bucket's size limit is read: a declared Content-Length above
    it is refused at once, a raw body is counted as it is written, and a
    multipart body is cut off while it is parsed."""
    limit = await store(request).size_limit(bucket)
    if streaming.declared_too_large(request.headers, limit + MULTIPART_OVERHEAD):
        raise errors.too_large(limit)
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        if streaming.declared_too_large(request.headers, limit):
            raise errors.too_large(limit)
        cache = request.headers.get("cache-control", "no-cache")
        return request.stream(), ctype or "application/octet-stream", cache, None
    capped = Request(request.scope, capped_receive(request.receive, limit + MULTIPART_OVERHEAD,
                                                   limit))
    try:
        form = await capped.form()
    except (ValueError, KeyError, AssertionError) as exc:
        raise errors.invalid("the multipart body cannot be read") from exc
    upload = next((v for _, v in form.multi_items() if isinstance(v, UploadFile)), None)
    if upload is None:
        raise errors.StorageError(400, "InvalidRequest", "No content provided")
    cache = str(form.get("cacheControl") or "3600")
    if "\x00" in cache or not cache.isdigit():
        raise errors.invalid("cacheControl must be a number of seconds")
    return streaming.file_chunks(upload.file), upload.content_type or \
        "application/octet-stream", f"max-age={cache}", user_metadata(form.get("metadata"))


def capped_receive(receive: Receive, cap: int, limit: int) -> Receive:
    """`receive` that refuses a body growing past `cap` bytes (413 naming `limit`)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise errors.too_large(limit)
        return message

    return wrapped


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def object_response(row: dict[str, Any], data: bytes, *, download: str | None = None) -> Response:
    meta = row.get("metadata") or {}
    headers = {"cache-control": str(meta.get("cacheControl") or "no-cache"),
               "etag": str(meta.get("eTag") or "")}
    if download is not None:
        name = download or row["name"].rsplit("/", 1)[-1]
        headers["content-disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=str(meta.get("mimetype") or "application/octet-stream"),
                    headers=headers)


# ---- signed URLs (declared before /object/{bucket}/{path}) ------------------
@router.post("/object/sign/{bucket}/{path:path}")
async def create_signed_url(bucket: str, path: str, request: Request) -> JSONResponse:
    claims = claims_of(request)
    body = await json_body(request)
    expires_in = number(body, "expiresIn", 0)
    if expires_in < 1:
        raise errors.invalid("expiresIn must be at least 1")
    url = await store(request).sign(claims, bucket=bucket, path=path, expires_in=expires_in)
    return JSONResponse({"signedURL": url})


@router.post("/object/sign/{bucket}")
async def create_signed_urls(bucket: str, request: Request) -> JSONResponse:
    claims = claims_of(request)
    body = await json_body(request)
    expires_in = number(body, "expiresIn", 0)
    if expires_in < 1:
        raise errors.invalid("expiresIn must be at least 1")
    paths = body.get("paths") or []
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise errors.invalid("paths must be a list of paths")
    results = []
    for path in paths:
        try:
            url = await store(request).sign(claims, bucket=bucket, path=str(path),
                                            expires_in=expires_in)
            results.append({"error": None, "path": path, "signedURL": url})
        except errors.StorageError:
            results.append({"error": "Either the object does not exist or you do not have "
                                     "access to it", "path": path, "signedURL": None})
    return JSONResponse(results)


@router.get("/object/sign/{bucket}/{path:path}")
async def fetch_signed(bucket: str, path: str, request: Request, token: str = "",
                       download: str | None = None) -> Response:
    if not token:
        raise errors.StorageError(400, "InvalidRequest", "Missing token", code="MissingParameter")
    row, data = await store(request).download_signed(token, bucket=bucket, path=path)
    return object_response(row, data, download=download)


@router.post("/object/upload/sign/{bucket}/{path:path}")
async def create_signed_upload_url(bucket: str, path: str, request: Request) -> JSONResponse:
    claims = claims_of(request)
    url, token = await store(request).sign_upload(
        claims, bucket=bucket, path=path, upsert=_truthy(request.headers.get("x-upsert")))
    return JSONResponse({"url": url, "token": token})


@router.put("/object/upload/sign/{bucket}/{path:path}")
async def upload_to_signed_url(bucket: str, path: str, request: Request,
                               token: str = "") -> JSONResponse:
    if not token:
        raise errors.StorageError(400, "InvalidRequest", "Missing token", code="MissingParameter")
    data, ctype, cache, _ = await file_of(request, bucket)
    row = await store(request).upload_signed(token, bucket=bucket, path=path, data=data,
                                             content_type=ctype, cache_control=cache)
    return JSONResponse({"Id": str(row["id"]), "Key": f"{bucket}/{path}"})


# ---- list ------------------------------------------------------------------
@router.post("/object/list/{bucket}")
async def list_objects(bucket: str, request: Request) -> JSONResponse:
    claims = claims_of(request)
    body = await json_body(request)
    sort = body.get("sortBy") or {}
    if not isinstance(sort, dict):
        raise errors.invalid("sortBy must be an object with column and order")
    rows = await store(request).list(
        claims, bucket=bucket, prefix=str(body.get("prefix") or ""),
        limit=max(1, min(number(body, "limit", 100), 1000)),
        offset=max(0, min(number(body, "offset", 0), 10**9)),
        sort_column=str(sort.get("column") or "name"),
        descending=str(sort.get("order") or "asc").lower() == "desc",
        search=str(body.get("search") or ""))
    return JSONResponse(json.loads(json.dumps(rows, default=str)))


# ---- objects -----------------------------------------------------------------
@router.get("/object/authenticated/{bucket}/{path:path}")
async def download_authenticated(bucket: str, path: str, request: Request,
                                 download: str | None = None) -> Response:
    row, data = await store(request).download(claims_of(request), bucket=bucket, path=path)
    return object_response(row, data, download=download)


@router.get("/object/info/{bucket}/{path:path}")
async def object_info(bucket: str, path: str, request: Request) -> JSONResponse:
    row = await store(request).find(claims_of(request), bucket=bucket, path=path)
    meta = row.get("metadata") or {}
    return JSONResponse(json.loads(json.dumps({
        "id": row["id"], "name": row["name"], "bucket_id": bucket, "version": row["version"],
        "size": meta.get("size"), "content_type": meta.get("mimetype"),
        "cache_control": meta.get("cacheControl"), "etag": meta.get("eTag"),
        "metadata": row.get("user_metadata"), "created_at": row["created_at"],
        "last_modified": row["updated_at"]}, default=str)))


@router.get("/object/{bucket}/{path:path}")
async def download_object(bucket: str, path: str, request: Request,
                          download: str | None = None) -> Response:
    row, data = await store(request).download(claims_of(request), bucket=bucket, path=path)
    return object_response(row, data, download=download)


async def _upload(bucket: str, path: str, request: Request, *, upsert: bool) -> JSONResponse:
    claims = claims_of(request)
    data, ctype, cache, user_meta = await file_of(request, bucket)
    row = await store(request).upload(claims, bucket=bucket, path=path, data=data,
                                      content_type=ctype, upsert=upsert, cache_control=cache,
                                      user_metadata=user_meta)
    return JSONResponse({"Id": str(row["id"]), "Key": f"{bucket}/{path}"})


@router.post("/object/{bucket}/{path:path}")
async def upload_object(bucket: str, path: str, request: Request) -> JSONResponse:
    return await _upload(bucket, path, request, upsert=_truthy(request.headers.get("x-upsert")))


@router.put("/object/{bucket}/{path:path}")
async def update_object(bucket: str, path: str, request: Request) -> JSONResponse:
    return await _upload(bucket, path, request, upsert=True)


@router.delete("/object/{bucket}")
async def remove_objects(bucket: str, request: Request) -> JSONResponse:
    claims = claims_of(request)
    body = await json_body(request)
    prefixes = body.get("prefixes")
    if not isinstance(prefixes, list) or not prefixes or len(prefixes) > 1000:
        raise errors.invalid("prefixes must be a non-empty list")
    rows = await store(request).remove(claims, bucket=bucket, names=[str(p) for p in prefixes])
    return JSONResponse(json.loads(json.dumps(rows, default=str)))
