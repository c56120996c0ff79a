"""What a caller may upload where, and short-lived URLs for media they may read."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from fastapi import HTTPException
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from app.db import service_transaction
from app.media import repository
from app.media.schemas import UploadRequest, UploadTicket
from app.storage import mime
from app.storage import repository as storage_repository
from app.storage.service import SignedUpload, StorageService, object_path

URL_LIFETIME = 300


async def plan_upload(conn: AsyncConnection[Any], pool: AsyncConnectionPool,
                      storage: StorageService, *, claims: dict[str, Any],
                      request: UploadRequest) -> UploadTicket:
    tenant_id = (claims.get("app_metadata") or {}).get("tenant_id")
    if not tenant_id:
        raise HTTPException(403, "your account has no municipality")
    if request.purpose == "evidence":
        assert request.ticket_id is not None
        bucket = await repository.evidence_bucket_for(conn, request.ticket_id)
        if bucket is None:
            raise HTTPException(404, "no such report")
        folder: UUID | str = request.ticket_id
    else:
        bucket, folder = "documents", str(claims["sub"])
    async with service_transaction(pool, actor="uploads") as sconn:
        limits = await storage_repository.bucket(sconn, bucket)
    assert limits is not None
    if not mime.allowed(request.content_type, limits["allowed_mime_types"]):
        raise HTTPException(422, f"files of type {request.content_type} are not accepted here")
    if request.size > (limits["file_size_limit"] or 0):
        raise HTTPException(413, f"the file is larger than {limits['file_size_limit']} bytes")
    file_id = uuid.uuid4()
    path = object_path(tenant_id=tenant_id, folder_id=folder, content_type=request.content_type,
                       file_id=file_id)
    await repository.plan_upload(conn, bucket=bucket, path=path)  # the caller will own it
    signed: SignedUpload = await storage.signed_upload_url(bucket=bucket, path=path,
                                                           owner=str(claims['sub']))
    return UploadTicket(bucket=bucket, path=path, file_id=str(file_id), signed_url=signed.url,
                        token=signed.token)


async def media_url(conn: AsyncConnection[Any], storage: StorageService,
                    *, media_id: UUID) -> str:
    row = await repository.media(conn, media_id)
    if row is None or not await repository.object_visible(conn, row["bucket"], row["path"]):
        raise HTTPException(404, "no such file")
    if row["scan_status"] == "quarantined":
        raise HTTPException(409, f"this file failed the safety check: {row['quarantine_reason']}")
    if row["bucket"] == "gbv-evidence":
        await repository.log_access(conn, media_id)
    return await storage.signed_url(bucket=row["bucket"], path=row["path"],
                                    expires_in=URL_LIFETIME)
