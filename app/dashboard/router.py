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
NODE_MODULES = ROOT / "node_modules"
SUPABASE_JS = NODE_MODULES / "@supabase" / "supabase-js" / "dist" / "umd" / "supabase.js"
LEAFLET_IMAGES = NODE_MODULES / "leaflet" / "dist" / "images"
# Browser libraries from npm that every page (staff and citizen) may load, served from our
# own origin so pages work offline and without a third-party CDN. An allowlist, not a folder.
VENDOR = {
    "supabase.js": SUPABASE_JS,
    "leaflet.js": NODE_MODULES / "leaflet" / "dist" / "leaflet.js",
    "leaflet.css": NODE_MODULES / "leaflet" / "dist" / "leaflet.css",
    **{f"images/{name}": LEAFLET_IMAGES / name
       for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")},
    "chart.js": NODE_MODULES / "chart.js" / "dist" / "chart.umd.js",
}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}

router = APIRouter(tags=["dashboard"], include_in_schema=False)


@router.get("/dashboard")
async def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/dashboard/templates")
async def templates_page() -> FileResponse:
    """The message library editor (drafts, preview, approval)."""
    return FileResponse(STATIC / "templates.html", media_type="text/html")


# The staff work pages: SAPS casework, the field worker's phone page, municipality set-up.
WORK_PAGES = {"casework": "casework.html", "field": "field.html", "admin": "admin.html"}


@router.get("/dashboard/casework")
@router.get("/dashboard/field")
@router.get("/dashboard/admin")
async def work_page(request: Request) -> FileResponse:
    name = WORK_PAGES[request.url.path.rsplit("/", 1)[-1]]
    return FileResponse(STATIC / name, media_type="text/html")


@router.get("/dashboard/config.json")
async def config(request: Request) -> dict[str, str]:
    """Where the page finds Supabase (our own origin in local mode), the API and the map
    tiles (none configured: the map shows the marker and coordinates without tiles)."""
    settings: Settings = request.app.state.settings
    origin = str(request.base_url).rstrip("/")
    return {
        "supabaseUrl": settings.supabase_url or origin,
        "supabaseAnonKey": settings.supabase_anon_key,
        "apiBase": origin,
        "mapTileUrl": settings.map_tile_url,
        "mapTileAttribution": settings.map_tile_attribution,
    }


@router.get("/dashboard/vendor/{name:path}")
@router.get("/vendor/{name:path}")
async def vendor(name: str) -> FileResponse:
    """supabase-js, Leaflet (with its marker images) and Chart.js, from node_modules."""
    path = VENDOR.get(name)
    if path is None:
        raise NotFound("no such library")
    if not path.is_file():
        raise NotFound(f"{name} is not installed (run scripts/dev)")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix])


@router.get("/dashboard/static/{name}")
async def asset(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or not path.is_file():
        raise NotFound("no such file")
    media = "text/javascript" if path.suffix == ".js" else "text/css"
    return FileResponse(path, media_type=media)
