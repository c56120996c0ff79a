"""Retention: an expired ticket is de-identified and its photos leave Storage (row and
bytes); a legal hold keeps another exactly as it was; --dry-run only says what would go."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from psycopg import AsyncConnection

from app.config import Settings
from app.db import open_pool
from app.storage import service as storage_service
from tests.popia.conftest import new_citizen, one
from tests.support.tenants import Tenant, acknowledge_notice
from tests.test_cli import salga


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


async def closed_long_ago(api: httpx.AsyncClient, database_url: str, me_auth: dict[str, str],
                          settings: Settings, tenant_id: object, *, hold: bool) -> tuple[str, str]:
    filed = await api.post("/api/v1/reports", headers=me_auth, json={
        "category": "waste", "description": "Bins not collected for three weeks",
        "address": "5 Retention Road"})
    assert filed.status_code == 201, filed.text
    ticket = filed.json()["id"]
    path = f"{tenant_id}/{ticket}/photo.jpg"
    pool = open_pool(database_url, min_size=1, max_size=2)
    await pool.open()
    try:
        storage, _ = storage_service.build(settings, pool)
        await storage.upload(bucket="evidence", path=path, data=jpeg(), content_type="image/jpeg")
    finally:
        await pool.close()
    await one(database_url, "update public.tickets set status = 'closed' where id = %s"
              " returning id", (ticket,))
    await one(database_url, "update public.tickets set closed_at = now() - interval '6 years',"
              " legal_hold = %s where id = %s returning id", (hold, ticket))
    return ticket, path


async def test_retention_removes_an_expired_tickets_photos_from_storage(
    api: httpx.AsyncClient, town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    async with await AsyncConnection.connect(database_url) as conn:
        await acknowledge_notice(conn, me.id, town.id)
        await conn.commit()
    expired, photo = await closed_long_ago(api, database_url, me.auth, settings, town.id,
                                           hold=False)
    held, held_photo = await closed_long_ago(api, database_url, me.auth, settings, town.id,
                                             hold=True)
    stored = await one(database_url, "select version from storage.objects"
                       " where bucket_id = 'evidence' and name = %s", (photo,))
    blob = settings.local_storage_dir / "evidence" / stored["version"][:2] / stored["version"]
    assert blob.exists()

    dry = salga(database_url, "retention", "run", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"would deidentify: 1 tickets in {town.code}" in dry.stdout
    assert f"would delete files: 1 media in {town.code}" in dry.stdout
    assert blob.exists()

    done = salga(database_url, "retention", "run")
    assert done.returncode == 0, done.stderr
    assert f"did deidentify: 1 tickets in {town.code}" in done.stdout
    assert "removed 1 file(s) from storage" in done.stdout
    assert not blob.exists()
    assert await one(database_url, "select 1 from storage.objects where bucket_id = 'evidence'"
                     " and name = %s", (photo,)) is None
    gone = await one(database_url, "select reporter_id, address, deidentified_at,"
                     " (select count(*) from public.media_attachments m where m.ticket_id = t.id)"
                     " as media from public.tickets t where id = %s", (expired,))
    assert gone == {"reporter_id": None, "address": None, "media": 0,
                    "deidentified_at": gone["deidentified_at"]} and gone["deidentified_at"]
    kept = await one(database_url, "select reporter_id, address, deidentified_at"
                     " from public.tickets where id = %s", (held,))
    assert kept == {"reporter_id": me.id, "address": "5 Retention Road", "deidentified_at": None}
    assert await one(database_url, "select 1 as x from storage.objects"
                     " where bucket_id = 'evidence' and name = %s", (held_photo,))
    again = salga(database_url, "retention", "run")
    assert f"in {town.code}" not in again.stdout
