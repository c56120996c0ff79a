"""The one storage service: Supabase Storage (storage3) with SUPABASE_URL, else the local store.

Server-side callers (the WhatsApp media worker, OCR, the uploads API) act as
the service role here; users' own requests go through Supabase Storage (or
the local gateway) with their own token, where the bucket policies decide.

    key = await storage.upload(bucket="evidence", path=path, data=b"...",
                               content_type="image/jpeg", source="whatsapp")
    url = await storage.signed_url(bucket="evidence", path=path, expires_in=300)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from app.config import Settings
from app.db import SERVICE_CLAIMS
from app.storage import errors, mime
from app.storage.local import LocalStore

Bucket = Literal["evidence", "documents", "gbv-evidence"]
BUCKETS: tuple[str, ...] = ("evidence", "documents", "gbv-evidence")
Source = Literal["web", "whatsapp", "api"]
StorageError = errors.StorageError


@dataclass(frozen=True)
class SignedUpload:
    bucket: str
    path: str
    url: str
    token: str


def object_path(*, tenant_id: UUID | str, folder_id: UUID | str, content_type: str,
                file_id: UUID | None = None) -> str:
    """`{tenant_id}/{ticket_id or user_id}/{file_id}.{ext}`, the layout every bucket uses."""
    return f"{tenant_id}/{folder_id}/{file_id or uuid.uuid4()}.{mime.extension_for(content_type)}"


class Backend(Protocol):
    async def upload(self, *, bucket: str, path: str, data: bytes, content_type: str,
                     upsert: bool, metadata: dict[str, Any] | None) -> str: ...
    async def download(self, *, bucket: str, path: str) -> bytes: ...
    async def remove(self, *, bucket: str, paths: list[str]) -> list[str]: ...
    async def list(self, *, bucket: str, prefix: str) -> list[dict[str, Any]]: ...
    async def signed_url(self, *, bucket: str, path: str, expires_in: int) -> str: ...
    async def signed_upload_url(self, *, bucket: str, path: str, upsert: bool,
                                owner: str | None) -> SignedUpload: ...


class LocalBackend:
    """The local store as the service role; URLs point at this app's /storage/v1."""

    def __init__(self, store: LocalStore, base_url: str) -> None:
        self.store = store
        self.base_url = base_url.rstrip("/") + "/storage/v1"

    async def upload(self, *, bucket: str, path: str, data: bytes, content_type: str,
                     upsert: bool, metadata: dict[str, Any] | None) -> str:
        await self.store.upload(SERVICE_CLAIMS, bucket=bucket, path=path, data=data,
                                content_type=content_type, upsert=upsert,
                                user_metadata=metadata)
        return f"{bucket}/{path}"

    async def download(self, *, bucket: str, path: str) -> bytes:
        _, data = await self.store.download(SERVICE_CLAIMS, bucket=bucket, path=path)
        return data

    async def remove(self, *, bucket: str, paths: list[str]) -> list[str]:
        rows = await self.store.remove(SERVICE_CLAIMS, bucket=bucket, names=paths)
        return [str(r["name"]) for r in rows]

    async def list(self, *, bucket: str, prefix: str) -> list[dict[str, Any]]:
        return await self.store.list(SERVICE_CLAIMS, bucket=bucket, prefix=prefix, limit=1000,
                                     offset=0, sort_column="name", descending=False, search="")

    async def signed_url(self, *, bucket: str, path: str, expires_in: int) -> str:
        rel = await self.store.sign(SERVICE_CLAIMS, bucket=bucket, path=path,
                                    expires_in=expires_in)
        return self.base_url + rel

    async def signed_upload_url(self, *, bucket: str, path: str, upsert: bool,
                                owner: str | None) -> SignedUpload:
        # Signed with the service key, as on Supabase: the object is owned by the
        # signer (nobody); our API records the uploader beforehand (migration 0009).
        rel, token = await self.store.sign_upload(SERVICE_CLAIMS, bucket=bucket, path=path,
                                                  upsert=upsert)
        return SignedUpload(bucket=bucket, path=path, url=self.base_url + rel, token=token)


class SupabaseBackend:
    """Supabase Storage through storage3, with the service role key."""

    def __init__(self, url: str, service_key: str) -> None:
        from storage3 import AsyncStorageClient

        self.client = AsyncStorageClient(
            f"{url.rstrip('/')}/storage/v1/",
            {"apikey": service_key, "Authorization": f"Bearer {service_key}"})

    def _bucket(self, bucket: str) -> Any:
        return self.client.from_(bucket)

    async def upload(self, *, bucket: str, path: str, data: bytes, content_type: str,
                     upsert: bool, metadata: dict[str, Any] | None) -> str:
        options: dict[str, Any] = {"content-type": content_type,
                                   "upsert": "true" if upsert else "false"}
        if metadata:
            options["metadata"] = metadata
        result = await self._bucket(bucket).upload(path, data, options)
        return str(result.full_path)

    async def download(self, *, bucket: str, path: str) -> bytes:
        data: bytes = await self._bucket(bucket).download(path)
        return data

    async def remove(self, *, bucket: str, paths: list[str]) -> list[str]:
        rows = await self._bucket(bucket).remove(paths)
        return [str(r["name"]) for r in rows]

    async def list(self, *, bucket: str, prefix: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await self._bucket(bucket).list(prefix)
        return rows

    async def signed_url(self, *, bucket: str, path: str, expires_in: int) -> str:
        result = await self._bucket(bucket).create_signed_url(path, expires_in)
        return str(result["signedURL"])

    async def signed_upload_url(self, *, bucket: str, path: str, upsert: bool,
                                owner: str | None) -> SignedUpload:
        # Supabase records the signer (here the service role) as owner: none. Our
        # API records the uploader beforehand (private.plan_upload, migration 0009).
        from storage3.types import CreateSignedUploadUrlOptions

        options = CreateSignedUploadUrlOptions(upsert="true") if upsert else None
        result = await self._bucket(bucket).create_signed_upload_url(path, options)
        return SignedUpload(bucket=bucket, path=path, url=str(result["signed_url"]),
                            token=str(result["token"]))


class StorageService:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def upload(self, *, bucket: str, path: str, data: bytes, content_type: str,
                     upsert: bool = False, source: Source = "api") -> str:
        """Store bytes as the service role; returns the object key `bucket/path`."""
        _check_bucket(bucket)
        return await self.backend.upload(bucket=bucket, path=path, data=data,
                                         content_type=content_type, upsert=upsert,
                                         metadata={"source": source})

    async def download(self, *, bucket: str, path: str) -> bytes:
        _check_bucket(bucket)
        return await self.backend.download(bucket=bucket, path=path)

    async def remove(self, *, bucket: str, paths: list[str]) -> list[str]:
        _check_bucket(bucket)
        return await self.backend.remove(bucket=bucket, paths=paths)

    async def list(self, *, bucket: str, prefix: str = "") -> list[dict[str, Any]]:
        _check_bucket(bucket)
        return await self.backend.list(bucket=bucket, prefix=prefix)

    async def signed_url(self, *, bucket: str, path: str, expires_in: int = 300) -> str:
        """A short-lived download URL. Callers decide first whether the user may read it."""
        _check_bucket(bucket)
        return await self.backend.signed_url(bucket=bucket, path=path, expires_in=expires_in)

    async def signed_upload_url(self, *, bucket: str, path: str, upsert: bool = False,
                                owner: str | None = None) -> SignedUpload:
        """A URL + token that lets its holder upload exactly this object (owned by `owner`)."""
        _check_bucket(bucket)
        return await self.backend.signed_upload_url(bucket=bucket, path=path, upsert=upsert,
                                                    owner=owner)


def _check_bucket(bucket: str) -> None:
    if bucket not in BUCKETS:
        raise errors.no_bucket()


def build(
    settings: Settings, pool: AsyncConnectionPool
) -> tuple[StorageService, LocalStore | None]:
    """The service for these settings, and the local store when in local mode."""
    if not settings.local_mode:
        return StorageService(SupabaseBackend(settings.supabase_url,
                                              settings.supabase_service_role_key)), None
    store = LocalStore(pool, settings.local_storage_dir, settings.supabase_jwt_secret)
    return StorageService(LocalBackend(store, settings.public_base_url)), store
