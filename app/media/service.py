"""What a caller may upload where, and short-lived URLs for media they may read."""

from __future__ import annotations

import uuid
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from app.auth import Caller
from app.db import service_transaction
from app.errors import Conflict, Invalid, NotFound, TooLarge
from app.media import repository
from app.media.schemas import UploadRequest, UploadTicket
from app.storage import mime
from app.storage import repository as storage_repository
from app.storage.service import SignedUpload, StorageService, object_path
from app.vocab import Conn, Row

URL_LIFETIME = 300


async def plan_upload(conn: Conn, pool: AsyncConnectionPool,
                      storage: StorageService, *, caller: Caller,
                      request: UploadRequest) -> UploadTicket:
    tenant_id = caller.municipality()
    if request.purpose == "evidence":
        assert request.ticket_id is not None
        bucket = await repository.evidence_bucket_for(conn, request.ticket_id)
        if bucket is None:
            raise NotFound("no such report")
        folder: UUID | str = request.ticket_id
    else:
        bucket, folder = "documents", str(caller.user_id)
    async with service_transaction(pool, actor="uploads") as sconn:
        limits = await storage_repository.bucket(sconn, bucket)
    assert limits is not None
    if not mime.allowed(request.content_type, limits["allowed_mime_types"]):
        raise Invalid(f"files of type {request.content_type} are not accepted here")
    if request.size > (limits["file_size_limit"] or 0):
        raise TooLarge(f"the file is larger than {limits['file_size_limit']} bytes")
    file_id = uuid.uuid4()
    path = object_path(tenant_id=tenant_id, folder_id=folder, content_type=request.content_type,
                       file_id=file_id)
    await repository.plan_upload(conn, bucket=bucket, path=path)  # the caller will own it
    signed: SignedUpload = await storage.signed_upload_url(bucket=bucket, path=path,
                                                           owner=str(caller.user_id))
    return UploadTicket(bucket=bucket, path=path, file_id=str(file_id), signed_url=signed.url,
                        token=signed.token)


async def media_url(conn: Conn, storage: StorageService,
                    *, media_id: UUID) -> str:
    row = await repository.media(conn, media_id)
    if row is None or not await repository.object_visible(conn, row["bucket"], row["path"]):
        raise NotFound("no such file")
    if row["scan_status"] == "quarantined":
        raise Conflict(f"this file failed the safety check: {row['quarantine_reason']}")
    if row["bucket"] == "gbv-evidence":
        await repository.log_access(conn, media_id)
    return await storage.signed_url(bucket=row["bucket"], path=row["path"],
                                    expires_in=URL_LIFETIME)


async def ticket_media(conn: Conn, storage: StorageService, *, ticket_id: UUID) -> list[Row]:
    """The ticket's files, each with a short-lived URL once its safety check has passed
    (pending and quarantined files get none). Each protected file's URL is an access, logged."""
    shown = []
    for row in await repository.ticket_media(conn, ticket_id):
        url = None
        if row["scan_status"] == "clean":
            if row["bucket"] == "gbv-evidence":
                await repository.log_access(conn, row["id"])
            url = await storage.signed_url(bucket=row["bucket"], path=row["path"],
                                           expires_in=URL_LIFETIME)
        shown.append({**{k: row[k] for k in ("id", "content_type", "size_bytes",
                                              "scan_status", "source", "created_at")},
                      "url": url})
    return shown
