"""`/dashboard`: the staff page, its configuration and its (local) assets.

The page needs only a Supabase URL and anon key (from `/dashboard/config.json`)
and our API, so it works unchanged against a real Supabase project.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from app.config import ROOT, Settings
from app.errors import NotFound

STATIC = Path(__file__).resolve().parent / "static"
SUPABASE_JS = ROOT / "node_modules" / "@supabase" / "supabase-js" / "dist" / "umd" / "supabase.js"

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/dashboard")
async def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/dashboard/templates")
async def templates_page() -> FileResponse:
    """The message library editor (drafts, preview, approval)."""
    return FileResponse(STATIC / "templates.html", media_type="text/html")


@router.get("/dashboard/config.json")
async def config(request: Request) -> dict[str, str]:
    """Where the page finds Supabase (our own origin in local mode) and the API."""
    settings: Settings = request.app.state.settings
    origin = str(request.base_url).rstrip("/")
    return {
        "supabaseUrl": settings.supabase_url or origin,
        "supabaseAnonKey": settings.supabase_anon_key,
        "apiBase": origin,
    }


@router.get("/dashboard/vendor/supabase.js")
async def supabase_js() -> FileResponse:
    if not SUPABASE_JS.is_file():
        raise NotFound("supabase-js is not installed (run scripts/dev)")
    return FileResponse(SUPABASE_JS, media_type="text/javascript")


@router.get("/dashboard/static/{name}")
async def asset(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or not path.is_file():
        raise NotFound("no such file")
    media = "text/javascript" if path.suffix == ".js" else "text/css"
    return FileResponse(path, media_type=media)
