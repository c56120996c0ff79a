"""The local store: bytes under `.local/storage`, rows in the local `storage.objects`.

Every statement on `storage.objects` runs as the caller (role + claims), the
way Supabase's Storage server runs it, so the bucket policies decide. Bytes
are kept per object version, so a rolled-back write never replaces what a
committed row points at.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from app.db import SERVICE_CLAIMS, transaction_as
from app.errors import sql_message
from app.storage import errors, mime, repository, streaming, tokens

GLOBAL_LIMIT = 20 * 1024 * 1024
BUCKET_TTL = 10.0
KEY_PATTERN = re.compile(r"^[\w\-!.*'() &$@=;:+,?/]+$", re.UNICODE)
RLS_MESSAGE = "new row violates row-level security policy"


def check_key(path: str) -> None:
    parts = path.split("/")
    if (not path or len(path) > 1024 or not KEY_PATTERN.match(path)
            or any(p in ("", ".", "..") for p in parts)):
        raise errors.StorageError(400, "InvalidKey", f"Invalid key: {path}", code="InvalidKey")


def _mapped(exc: psycopg.Error) -> errors.StorageError:
    # As the real Storage server maps them: only a few standard SQLSTATEs
    # become a 4xx (42501 -> 403; check violations and invalid parameters ->
    # 400; unique violations -> 409); anything else, our own SAnnn codes
    # included, is a 500 "database error".
    message = sql_message(exc)
    state = exc.sqlstate or ""
    if state == "23505":
        return errors.duplicate()
    if state == "42501":
        return errors.access_denied(RLS_MESSAGE)
    if state in ("23514", "22023", "23502", "22P02"):
        return errors.invalid(message)
    return errors.StorageError(500, "DatabaseError", "database error", code="DatabaseError")


class LocalStore:
    def __init__(self, pool: AsyncConnectionPool, root: Path, secret: str,
                 *, upload_url_ttl: int = 7200) -> None:
        self.pool = pool
        self.root = root
        self.secret = secret
        self.upload_url_ttl = upload_url_ttl
        self._buckets: dict[str, tuple[dict[str, Any], float]] = {}

    # ---- plumbing ---------------------------------------------------------
    @asynccontextmanager
    async def _as(self, claims: Mapping[str, Any]) -> AsyncIterator[AsyncConnection[Any]]:
        try:
            async with transaction_as(self.pool, claims) as conn:
                yield conn
        except psycopg.Error as exc:
            raise _mapped(exc) from exc

    def _blob(self, bucket: str, version: str) -> Path:
        return self.root / bucket / version[:2] / version

    async def _bucket(self, bucket: str) -> dict[str, Any]:
        """Bucket settings, read as the server itself (as Supabase's server does).

        Kept for BUCKET_TTL seconds: buckets change by migration, not per request,
        and every upload, download and signature needs them."""
        now = time.monotonic()
        cached = self._buckets.get(bucket)
        if cached is not None and cached[1] > now:
            return cached[0]
        async with self.pool.connection() as conn:
            row = await repository.bucket(conn, bucket)
            await conn.rollback()
        if row is None:
            raise errors.no_bucket()
        self._buckets[bucket] = (row, now + BUCKET_TTL)
        return row

    def upload_limit(self, bucket: dict[str, Any], content_type: str) -> int:
        """The bucket's size limit for this upload, after refusing a type it does not take."""
        if not mime.allowed(content_type, bucket["allowed_mime_types"]):
            raise errors.bad_mime(mime.base_type(content_type) or "(none)")
        return int(min(bucket["file_size_limit"] or GLOBAL_LIMIT, GLOBAL_LIMIT))

    async def size_limit(self, bucket: str) -> int:
        """The most bytes an upload to `bucket` may carry (404 for a bucket that is not there)."""
        row = await self._bucket(bucket)
        return int(min(row["file_size_limit"] or GLOBAL_LIMIT, GLOBAL_LIMIT))

    # ---- writes -------------------------------------------------------------
    async def upload(self, claims: Mapping[str, Any], *, bucket: str, path: str,
                     data: bytes | AsyncIterator[bytes], content_type: str, upsert: bool,
                     cache_control: str = "no-cache",
                     user_metadata: dict[str, Any] | None = None,
                     owner: str | None = None) -> dict[str, Any]:
        """Store `data` (bytes, or a stream read as it is written) and its row, as `claims`."""
        check_key(path)
        limit = self.upload_limit(await self._bucket(bucket), content_type)
        if isinstance(data, bytes) and len(data) > limit:
            raise errors.too_large(limit)
        version = uuid.uuid4().hex
        blob = self._blob(bucket, version)
        stored = await streaming.write_stream(
            _single(data) if isinstance(data, bytes) else data, blob, limit=limit)
        metadata = {
            "eTag": f'"{stored.md5}"',
            "size": stored.size, "mimetype": content_type, "cacheControl": cache_control,
            "lastModified": datetime.now(UTC).isoformat(), "contentLength": stored.size,
            "httpStatusCode": 200,
        }
        old_version = None
        try:
            async with self._as(claims) as conn:
                if upsert:
                    old = await repository.find_object(conn, bucket, path)
                    old_version = old["version"] if old else None
                row = await repository.write_object(
                    conn, bucket_id=bucket, name=path, version=version, metadata=metadata,
                    owner=owner if owner is not None else claims.get("sub"),
                    user_metadata=user_metadata, upsert=upsert)
        except BaseException:
            blob.unlink(missing_ok=True)
            raise
        if old_version and old_version != version:
            self._blob(bucket, old_version).unlink(missing_ok=True)
        return row

    async def can_upload(self, claims: Mapping[str, Any], *, bucket: str, path: str,
                         upsert: bool) -> None:
        """Would this caller's INSERT pass? Tried, then rolled back (as Supabase does)."""
        check_key(path)
        await self._bucket(bucket)
        try:
            async with transaction_as(self.pool, claims) as conn:
                try:
                    async with conn.transaction():
                        await repository.write_object(
                            conn, bucket_id=bucket, name=path, version="probe", metadata={},
                            owner=claims.get("sub"), user_metadata=None, upsert=upsert)
                        raise _Probe
                except _Probe:
                    pass
        except psycopg.Error as exc:
            raise _mapped(exc) from exc

    async def sign_upload(self, claims: Mapping[str, Any], *, bucket: str, path: str,
                          upsert: bool) -> tuple[str, str]:
        await self.can_upload(claims, bucket=bucket, path=path, upsert=upsert)
        token = tokens.sign_upload(self.secret, bucket=bucket, path=path,
                                   owner=claims.get("sub"), upsert=upsert,
                                   expires_in=self.upload_url_ttl)
        return f"/object/upload/sign/{bucket}/{path}?token={token}", token

    async def upload_signed(self, token: str, *, bucket: str, path: str,
                            data: bytes | AsyncIterator[bytes],
                            content_type: str, cache_control: str = "no-cache") -> dict[str, Any]:
        """The token is the authorization: the write runs as the server, owned by its signer."""
        claims = tokens.verify(self.secret, token, kind=tokens.UPLOAD, bucket=bucket, path=path)
        return await self.upload(SERVICE_CLAIMS, bucket=bucket, path=path, data=data,
                                 content_type=content_type, upsert=bool(claims.get("upsert")),
                                 cache_control=cache_control, owner=claims.get("owner"))

    async def remove(self, claims: Mapping[str, Any], *, bucket: str,
                     names: list[str]) -> list[dict[str, Any]]:
        await self._bucket(bucket)
        async with self._as(claims) as conn:
            rows = await repository.delete_objects(conn, bucket, names)
        for row in rows:
            if row["version"]:
                self._blob(bucket, row["version"]).unlink(missing_ok=True)
        return rows

    # ---- reads --------------------------------------------------------------
    async def find(self, claims: Mapping[str, Any], *, bucket: str, path: str) -> dict[str, Any]:
        await self._bucket(bucket)
        async with self._as(claims) as conn:
            row = await repository.find_object(conn, bucket, path)
        if row is None:
            raise errors.not_found()
        return row

    async def read(self, row: Mapping[str, Any]) -> bytes:
        try:
            return await asyncio.to_thread(self._blob(row["bucket_id"], row["version"]).read_bytes)
        except OSError as exc:
            raise errors.not_found() from exc

    async def download(self, claims: Mapping[str, Any], *, bucket: str,
                       path: str) -> tuple[dict[str, Any], bytes]:
        row = await self.find(claims, bucket=bucket, path=path)
        return row, await self.read(row)

    async def sign(self, claims: Mapping[str, Any], *, bucket: str, path: str,
                   expires_in: int) -> str:
        await self.find(claims, bucket=bucket, path=path)
        token = tokens.sign_download(self.secret, bucket=bucket, path=path, expires_in=expires_in,
                                     signer=claims.get("sub"))
        return f"/object/sign/{bucket}/{path}?token={token}"

    async def download_signed(self, token: str, *, bucket: str,
                              path: str) -> tuple[dict[str, Any], bytes]:
        claims = tokens.verify(self.secret, token, kind=tokens.DOWNLOAD, bucket=bucket,
                               path=path)
        row = await self.find(SERVICE_CLAIMS, bucket=bucket, path=path)
        # The file may have been replaced since the URL was signed: serve it only once its
        # check has passed (or to the uploader who signed it, as the policies do).
        async with self._as(SERVICE_CLAIMS) as conn:
            status = await repository.scan_status(conn, bucket, path)
        if status not in (None, "clean") and not (
                status == "pending" and claims.get("signer")
                and claims.get("signer") == row.get("owner_id")):
            raise errors.not_found()
        return row, await self.read(row)

    async def list(self, claims: Mapping[str, Any], *, bucket: str, prefix: str, limit: int,
                   offset: int, sort_column: str, descending: bool,
                   search: str) -> list[dict[str, Any]]:
        """One folder level, as Supabase lists it: sub-folders (id null) and files."""
        await self._bucket(bucket)
        folder = prefix.strip("/")
        folder = f"{folder}/" if folder else ""
        async with self._as(claims) as conn:
            rows = await repository.objects_under(conn, bucket, folder, search)
        entries: dict[str, dict[str, Any]] = {}
        for row in rows:
            rest = row["name"][len(folder):]
            head, sep, _ = rest.partition("/")
            if sep:
                entries.setdefault(head, {"name": head, "id": None, "updated_at": None,
                                          "created_at": None, "last_accessed_at": None,
                                          "metadata": None})
            else:
                entries[head] = {"name": head, "id": row["id"], "updated_at": row["updated_at"],
                                 "created_at": row["created_at"],
                                 "last_accessed_at": row["last_accessed_at"],
                                 "metadata": row["metadata"]}
        column = sort_column if sort_column in {"name", "created_at", "updated_at",
                                                "last_accessed_at"} else "name"
        ordered = sorted(entries.values(), key=lambda e: (e[column] is None, str(e[column] or "")),
                         reverse=descending)
        return ordered[offset:offset + limit]


class _Probe(Exception):
    """Raised inside the probe savepoint so it always rolls back."""


async def _single(data: bytes) -> AsyncIterator[bytes]:
    yield data
