"""The dashboard page is served with its configuration and a local supabase-js."""

from __future__ import annotations

import httpx

from app.main import create_app


async def test_the_page_and_its_modules_are_served(api) -> None:
    page = await api.get("/dashboard")
    assert page.status_code == 200 and "Live tickets" in page.text
    assert "/dashboard/vendor/supabase.js" in page.text
    assert "cdn" not in page.text.lower()
    for name in ("dashboard.js", "tickets.js", "dashboard.css"):
        assert (await api.get(f"/dashboard/static/{name}")).status_code == 200


async def test_supabase_js_comes_from_the_installed_package(api) -> None:
    response = await api.get("/dashboard/vendor/supabase.js")
    assert response.status_code == 200
    assert "createClient" in response.text


async def test_the_config_points_at_our_own_origin_in_local_mode(api, settings) -> None:
    config = (await api.get("/dashboard/config.json")).json()
    assert config["supabaseUrl"] == str(api.base_url).rstrip("/")
    assert config["supabaseAnonKey"] == settings.supabase_anon_key
    assert config["apiBase"] == str(api.base_url).rstrip("/")


async def test_no_file_outside_the_static_folder_is_served(api) -> None:
    assert (await api.get("/dashboard/static/..%2Frouter.py")).status_code == 404
    assert (await api.get("/dashboard/static/nope.js")).status_code == 404


async def test_leaflet_and_chart_js_are_served_from_the_installed_packages(api) -> None:
    for name, marker, kind in (("leaflet.js", "Leaflet 1.9", "javascript"),
                               ("leaflet.css", ".leaflet-container", "text/css"),
                               ("chart.js", "Chart", "javascript")):
        response = await api.get(f"/vendor/{name}")
        assert response.status_code == 200 and marker in response.text, name
        assert kind in response.headers["content-type"]
    icon = await api.get("/vendor/images/marker-icon.png")
    assert icon.status_code == 200 and icon.content[:4] == b"\x89PNG"


async def test_only_listed_libraries_are_served(api) -> None:
    for name in ("../package.json", "leaflet/package.json", "%2e%2e/pyproject.toml", "nope.js"):
        assert (await api.get(f"/vendor/{name}")).status_code == 404, name


async def test_map_tiles_come_from_configuration(api, settings) -> None:
    config = (await api.get("/dashboard/config.json")).json()
    assert config["mapTileUrl"] == "" and config["mapTileAttribution"] == ""
    tiles = "https://tiles.example.gov.za/{z}/{x}/{y}.png"
    app = create_app(settings.model_copy(update={"map_tile_url": tiles,
                                                 "map_tile_attribution": "© Example"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://app") as client:
        config = (await client.get("/dashboard/config.json")).json()
    assert config["mapTileUrl"] == tiles and config["mapTileAttribution"] == "© Example"


async def test_the_workspace_modules_are_served(api) -> None:
    page = (await api.get("/dashboard")).text
    for library in ("/vendor/leaflet.js", "/vendor/leaflet.css", "/vendor/chart.js"):
        assert library in page
    for name in ("list.js", "drawer.js", "history.js", "stats.js", "replies.js"):
        response = await api.get(f"/dashboard/static/{name}")
        assert response.status_code == 200 and "javascript" in response.headers["content-type"]
