from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from app.auth import CallerDB, CurrentCaller
from app.media import service
from app.media.schemas import MediaUrl, UploadRequest, UploadTicket

router = APIRouter(prefix="/api/v1", tags=["media"])


def public(request: Request, url: str) -> str:
    """In local mode, point storage URLs at the host the caller reached us on."""
    settings = request.app.state.settings
    if settings.local_mode and url.startswith(settings.public_base_url):
        return str(request.base_url).rstrip("/") + url[len(settings.public_base_url.rstrip("/")):]
    return url


@router.post("/uploads", response_model=UploadTicket, status_code=201,
             summary="Where to upload a file, with a signed upload URL",
             responses={404: {"description": "Unknown or hidden report"},
                        413: {"description": "Too large"}, 422: {"description": "Bad type"}})
async def create_upload(body: UploadRequest, db: CallerDB, caller: CurrentCaller,
                        request: Request) -> UploadTicket:
    ticket = await service.plan_upload(db, request.app.state.pool, request.app.state.storage,
                                       caller=caller, request=body)
    ticket.signed_url = public(request, ticket.signed_url)
    return ticket


@router.get("/media/{media_id}/url", response_model=MediaUrl,
            summary="A short-lived download URL for a file the caller may read",
            responses={404: {"description": "Unknown or hidden file"},
                       409: {"description": "Quarantined"}})
async def media_url(media_id: UUID, db: CallerDB, request: Request) -> MediaUrl:
    url = await service.media_url(db, request.app.state.storage, media_id=media_id)
    return MediaUrl(id=media_id, url=public(request, url), expires_in=service.URL_LIFETIME)
