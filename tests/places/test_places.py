"""Place names: imported from GeoJSON (API) or CSV (salga), matched against typed addresses,
all or nothing, and only within the municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.support.tenants import Tenant
from tests.test_cli import salga


def feature(name: str, kind: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": name, "kind": kind}, "geometry": geometry}


KERKSTRAAT = feature("Kerkstraat", "street", {
    "type": "LineString", "coordinates": [[18.860, -33.935], [18.870, -33.935]]})
WARD_12 = feature("Ward 12", "ward", {
    "type": "Polygon", "coordinates": [[[18.80, -33.90], [18.82, -33.90], [18.82, -33.88],
                                        [18.80, -33.88], [18.80, -33.90]]]})


async def test_a_typed_address_finds_its_place_even_misspelt(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    body = {"type": "FeatureCollection", "features": [KERKSTRAAT, WARD_12]}
    response = await api.post("/api/v1/places/import", json=body, headers=tenant.auth("admin"))
    assert response.status_code == 200 and response.json() == {"imported": 2}
    for typed, name in (("14 Kerkstraat, by the church", "Kerkstraat"),
                        ("no 3 kerkstrat", "Kerkstraat"), ("ward 12 near the school", "Ward 12")):
        found = await api.get("/api/v1/places/match", params={"q": typed},
                              headers=tenant.auth("manager"))
        assert found.status_code == 200 and found.json()["name"] == name, typed
    pin = (await api.get("/api/v1/places/match", params={"q": "Ward 12"},
                         headers=tenant.auth("manager"))).json()
    assert 18.80 <= pin["longitude"] <= 18.82 and -33.90 <= pin["latitude"] <= -33.88
    nothing = await api.get("/api/v1/places/match", params={"q": "Somewhere Else Entirely"},
                            headers=tenant.auth("manager"))
    assert nothing.status_code == 404


async def test_a_bad_feature_is_422_naming_it_and_nothing_is_imported(
    api: httpx.AsyncClient, tenant: Tenant
) -> None:
    bowtie = feature("Bowtie", "suburb", {"type": "Polygon", "coordinates": [
        [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]})
    for bad in (feature("X", "suburb", WARD_12["geometry"]),
                feature("Odd kind", "castle", WARD_12["geometry"]), bowtie):
        body = {"type": "FeatureCollection",
                "features": [feature("Fine Place", "suburb", WARD_12["geometry"]), bad]}
        response = await api.post("/api/v1/places/import", json=body,
                                  headers=tenant.auth("admin"))
        assert response.status_code == 422 and "features[1]" in response.json()["detail"]
    found = await api.get("/api/v1/places/match", params={"q": "fine place"},
                          headers=tenant.auth("manager"))
    assert found.status_code == 404


async def test_places_stay_in_their_municipality_and_with_staff(
    api: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    body = {"type": "FeatureCollection", "features": [feature("Lonely Hill", "landmark", {
        "type": "Point", "coordinates": [18.9, -33.9]})]}
    assert (await api.post("/api/v1/places/import", json=body,
                           headers=tenant.auth("manager"))).status_code == 200
    assert (await api.get("/api/v1/places/match", params={"q": "Lonely Hill"},
                          headers=other_tenant.auth("admin"))).status_code == 404
    assert (await api.get("/api/v1/places/match", params={"q": "Lonely Hill"},
                          headers=tenant.auth("citizen"))).status_code == 403
    assert (await api.post("/api/v1/places/import", json=body,
                           headers=tenant.auth("field_worker"))).status_code == 403


def test_salga_imports_places_from_csv(database_url: str, tenant: Tenant,
                                       tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("name,kind,latitude,longitude\nMbekweni,settlement,-33.70,18.99\n"
                    "Dal Josafat,suburb,-33.69,18.98\n")
    done = salga(database_url, "places", "import", "--municipality", tenant.code, str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported 2 places"
    path.write_text("name,kind,latitude,longitude\nBroken,suburb,north,18.9\n")
    failed = salga(database_url, "places", "import", "--municipality", tenant.code, str(path))
    assert failed.returncode == 1 and "line 2" in failed.stderr
