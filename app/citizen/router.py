"""The citizen page (`/`, `/track`) and its two API routes: public tracking and the
check for similar open reports before filing. Thin: validate, call, return.

The page needs only a Supabase URL and anon key and our API (from
`/citizen/config.json`), so it works unchanged against a real Supabase project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from app.auth import CallerDB, CurrentCaller
from app.citizen import service
from app.citizen.schemas import PageConfig, Tracked
from app.config import Settings
from app.db import transaction_as
from app.duplicates.schemas import PossibleDuplicate
from app.errors import NotFound
from app.vocab import Category

STATIC = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}
# Letters, digits and dashes, as every tracking number is; the same rule for all input,
# so the answer never depends on what a number belongs to.
REFERENCE = r"^[A-Za-z0-9-]{3,40}$"

pages = APIRouter(tags=["citizen page"], include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["citizen page"])


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


def page_policy(settings: Settings) -> str:
    """What the page may load and talk to: our origin, Supabase (HTTP and its WebSocket) and
    the configured tile server. Scripts only from files; nothing may frame the page."""
    supabase = origin_of(settings.supabase_url)
    tiles = origin_of(settings.map_tile_url.replace("{s}", "a"))
    socket = supabase.replace("http", "ws", 1) if supabase else ""
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {supabase} {tiles}".rstrip(),
        f"connect-src 'self' {supabase} {socket}".rstrip(),
        "frame-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors 'none'"])


def page(request: Request, name: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type="text/html", headers={
        "content-security-policy": page_policy(request.app.state.settings),
        "referrer-policy": "no-referrer", "x-content-type-options": "nosniff"})


@pages.get("/")
async def report_page(request: Request) -> FileResponse:
    """Report a problem, my reports, my data."""
    return page(request, "index.html")


@pages.get("/track")
@pages.get("/track/{tracking_number}")
async def track_page(request: Request, tracking_number: str = "") -> FileResponse:
    """The page reads the number from its own address and asks the API."""
    return page(request, "track.html")


@pages.get("/citizen/config.json", response_model=PageConfig)
async def config(request: Request) -> dict[str, str]:
    settings = request.app.state.settings
    origin = str(request.base_url).rstrip("/")
    return {"supabaseUrl": settings.supabase_url or origin,
            "supabaseAnonKey": settings.supabase_anon_key, "apiBase": origin,
            "municipality": settings.citizen_municipality,
            "tileUrl": settings.map_tile_url, "tileAttribution": settings.map_tile_attribution,
            "quickExitUrl": settings.quick_exit_url}


@pages.get("/citizen/static/{name}")
async def asset(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or path.suffix not in MEDIA_TYPES or not path.is_file():
        raise NotFound("no such file")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix])


@api.get("/track/{tracking_number}", response_model=Tracked,
         summary="How a report is going, for anyone holding its number",
         responses={404: {"description": "No such report (the same answer for a report "
                                         "this page never shows)"}})
async def track(request: Request,
                tracking_number: Annotated[str, PathParam(pattern=REFERENCE)]) -> Any:
    """Status, category and dates only: no description, no location, no person."""
    async with transaction_as(request.app.state.pool, {"role": "anon"}) as conn:
        return await service.track(conn, tracking_number=tracking_number)


@api.get("/reports/similar", response_model=list[PossibleDuplicate],
         summary="Open reports like the one about to be filed (citizens)")
async def similar(db: CallerDB, caller: CurrentCaller, category: Category,
                  latitude: Annotated[float, Query(ge=-90, le=90)],
                  longitude: Annotated[float, Query(ge=-180, le=180)]) -> Any:
    """Same category, nearby, still open: follow one instead of filing the same report.
    Never a protected report, and nothing for a protected category."""
    return await service.nearby(db, caller=caller, category=category, latitude=latitude,
                                longitude=longitude)
