"""POST /api/v1/uploads picks the bucket and signs the upload; media URLs follow read access."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import AsyncConnection

from app.media.worker import scan_pending
from app.storage.service import StorageService
from tests.storage.conftest import JPEG, Tickets, real_image, run_checks
from tests.support.tenants import Tenant


async def upload_via_api(api: httpx.AsyncClient, tenant: Tenant, role: str,
                         body: dict[str, Any], data: bytes = JPEG) -> dict[str, Any]:
    planned = await api.post("/api/v1/uploads", json=body, headers=tenant.auth(role))
    assert planned.status_code == 201, planned.text
    ticket = planned.json()
    put = await api.put(ticket["signed_url"], content=data,
                        headers={"content-type": body["content_type"]})
    assert put.status_code == 200, put.text
    return ticket


async def media_id(db: AsyncConnection[Any], bucket: str, path: str) -> Any:
    cur = await db.execute(
        "select id, source from public.media_attachments where bucket = %s and path = %s",
        (bucket, path))
    row = await cur.fetchone()
    assert row is not None
    return row


async def test_evidence_for_an_ordinary_report_goes_to_the_evidence_bucket(
    api: httpx.AsyncClient, tenant: Tenant, tickets: Tickets, db: AsyncConnection[Any],
    live_server: Any,
) -> None:
    photo = real_image("JPEG")
    ticket = await upload_via_api(api, tenant, "citizen", {
        "purpose": "evidence", "ticket_id": str(tickets.ordinary), "filename": "pipe.jpg",
        "content_type": "image/jpeg", "size": len(photo)}, photo)
    assert ticket["bucket"] == "evidence"
    assert ticket["path"].startswith(f"{tenant.id}/{tickets.ordinary}/")
    row = await media_id(db, "evidence", ticket["path"])
    assert row["source"] == "web"
    unchecked = await api.get(f"/api/v1/media/{row['id']}/url", headers=tenant.auth("manager"))
    assert unchecked.status_code == 404
    await run_checks(live_server)
    url = await api.get(f"/api/v1/media/{row['id']}/url", headers=tenant.auth("manager"))
    assert url.status_code == 200
    fetched = await api.get(url.json()["url"])
    assert fetched.content.startswith(JPEG[:3])


async def test_sensitive_evidence_goes_to_the_gbv_bucket_and_its_access_is_logged(
    api: httpx.AsyncClient, tenant: Tenant, tickets: Tickets, db: AsyncConnection[Any],
    live_server: Any,
) -> None:
    photo = real_image("JPEG")
    ticket = await upload_via_api(api, tenant, "citizen", {
        "purpose": "evidence", "ticket_id": str(tickets.sensitive), "filename": "x.jpg",
        "content_type": "image/jpeg", "size": len(photo)}, photo)
    assert ticket["bucket"] == "gbv-evidence"
    row = await media_id(db, "gbv-evidence", ticket["path"])
    for role in ("citizen", "manager", "field_worker"):
        denied = await api.get(f"/api/v1/media/{row['id']}/url", headers=tenant.auth(role))
        assert denied.status_code == 404, role
    await run_checks(live_server)
    allowed = await api.get(f"/api/v1/media/{row['id']}/url", headers=tenant.auth("saps_liaison"))
    assert allowed.status_code == 200
    cur = await db.execute("select user_id from public.media_access_log where media_id = %s",
                           (row["id"],))
    assert [r["user_id"] for r in await cur.fetchall()] == [tenant.users["saps_liaison"]]


async def test_uploads_are_refused_clearly(
    api: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, tickets: Tickets
) -> None:
    base = {"purpose": "evidence", "ticket_id": str(tickets.ordinary), "filename": "a.jpg",
            "content_type": "image/jpeg", "size": 10}
    other = await api.post("/api/v1/uploads", json=base, headers=other_tenant.auth("citizen"))
    assert other.status_code == 404
    wrong = await api.post("/api/v1/uploads", json={**base, "content_type": "text/html"},
                           headers=tenant.auth("citizen"))
    assert wrong.status_code == 422 and "text/html" in wrong.json()["detail"]
    big = await api.post("/api/v1/uploads", json={**base, "size": 50 * 2**20},
                         headers=tenant.auth("citizen"))
    assert big.status_code == 413
    no_ticket = await api.post("/api/v1/uploads", json={**base, "ticket_id": None},
                               headers=tenant.auth("citizen"))
    assert no_ticket.status_code == 422


async def test_post_upload_check_quarantines_disguised_files_and_strips_gps(
    api: httpx.AsyncClient, live_server: Any, tenant: Tenant, db: AsyncConnection[Any]
) -> None:
    import io

    from PIL import Image

    app = live_server._server.config.app
    storage: StorageService = app.state.storage
    folder = f"{tenant.id}/{tenant.users['citizen']}"
    fake = f"{folder}/disguised.jpg"
    await storage.upload(bucket="evidence", path=fake, data=b"<html>not a photo</html>",
                         content_type="image/jpeg", upsert=True, source="whatsapp")
    exif = Image.Exif()
    exif[0x8825] = {2: (33.0, 55.0, 0.0)}  # GPSInfo: latitude
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buf, format="JPEG", exif=exif)
    photo = f"{folder}/with-gps.jpg"
    await storage.upload(bucket="evidence", path=photo, data=buf.getvalue(),
                         content_type="image/jpeg", upsert=True, source="whatsapp")
    await scan_pending(app.state.pool, storage)
    cur = await db.execute(
        "select path, source, scan_status, quarantine_reason from public.media_attachments"
        " where bucket = 'evidence' and path = any(%s) order by path", ([fake, photo],))
    rows = {r["path"]: r for r in await cur.fetchall()}
    assert rows[fake]["scan_status"] == "quarantined" and rows[fake]["source"] == "whatsapp"
    assert "not a photo" in rows[fake]["quarantine_reason"]
    assert rows[photo]["scan_status"] == "clean"
    cleaned = Image.open(io.BytesIO(await storage.download(bucket="evidence", path=photo)))
    assert not cleaned.getexif()


async def test_a_file_gone_before_its_check_is_settled_not_retried_forever(
    live_server: Any, tenant: Tenant, owner: AsyncConnection[Any]
) -> None:
    app = live_server._server.config.app
    path = f"{tenant.id}/{tenant.users['citizen']}/vanished.jpg"
    cur = await owner.execute(
        "insert into public.media_attachments (tenant_id, user_id, bucket, path, purpose,"
        " content_type) values (%s, %s, 'evidence', %s, 'evidence', 'image/jpeg') returning id",
        (tenant.id, tenant.users["citizen"], path))
    media_id = (await cur.fetchone())["id"]
    await scan_pending(app.state.pool, app.state.storage)
    cur = await owner.execute("select scan_status, quarantine_reason from"
                              " public.media_attachments where id = %s", (media_id,))
    row = await cur.fetchone()
    assert row["scan_status"] == "quarantined" and "gone" in row["quarantine_reason"]
    cur = await owner.execute("select count(*) as n from public.media_attachments"
                              " where id = %s and scan_status = 'pending'", (media_id,))
    assert (await cur.fetchone())["n"] == 0
