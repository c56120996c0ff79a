"""The citizen page is served with its configuration, its own modules and the shared
browser libraries; nothing outside its folder is served."""

from __future__ import annotations

import httpx

from app.citizen.router import page_policy
from app.config import Settings
from tests.conftest import base_settings


async def test_the_pages_and_their_modules_are_served(api: httpx.AsyncClient) -> None:
    for path in ("/", "/track", "/track/DEMO-2026-000001"):
        page = await api.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "cdn" not in page.text.lower(), path
    assert "/vendor/supabase.js" in (await api.get("/")).text
    for name in ("citizen.js", "common.js", "i18n.js", "report.js", "help.js", "mine.js",
                 "track.js", "citizen.css"):
        assert (await api.get(f"/citizen/static/{name}")).status_code == 200, name


async def test_the_config_names_our_origin_the_municipality_and_the_tiles(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    config = (await api.get("/citizen/config.json")).json()
    origin = str(api.base_url).rstrip("/")
    assert config["supabaseUrl"] == origin and config["apiBase"] == origin
    assert config["supabaseAnonKey"] == settings.supabase_anon_key
    assert config["tileUrl"] == settings.map_tile_url
    assert config["quickExitUrl"].startswith("https://")
    assert "supabaseServiceRoleKey" not in config and settings.supabase_service_role_key not in str(
        config)


async def test_nothing_outside_the_static_folder_is_served(api: httpx.AsyncClient) -> None:
    for name in ("..%2Frouter.py", "nope.js", "index.html", "..%2F..%2Fconfig.py"):
        assert (await api.get(f"/citizen/static/{name}")).status_code == 404, name


async def test_the_pages_load_only_from_our_origin_and_supabase_and_cannot_be_framed(
    api: httpx.AsyncClient,
) -> None:
    for path in ("/", "/track/DEMO-2026-000001"):
        headers = (await api.get(path)).headers
        policy = dict(part.strip().split(" ", 1) for part in
                      headers["content-security-policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
        assert headers["referrer-policy"] == "no-referrer"


def test_a_real_project_and_a_tile_server_are_named_in_the_policy() -> None:
    settings = base_settings(map_tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    settings.supabase_url = "https://abcd.supabase.co"  # as on a real project
    policy = dict(part.strip().split(" ", 1) for part in page_policy(settings).split(";"))
    assert "https://abcd.supabase.co" in policy["connect-src"]
    assert "wss://abcd.supabase.co" in policy["connect-src"]
    assert "https://a.tiles.example.org" in policy["img-src"]
    assert policy["script-src"] == "'self'"
