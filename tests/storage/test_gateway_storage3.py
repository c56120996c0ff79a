"""The local /storage/v1 gateway, driven by the real storage3 client, enforces the policies."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from storage3.exceptions import StorageApiError

from tests.storage.conftest import (
    JPEG,
    PNG,
    Tickets,
    error_status,
    real_image,
    run_checks,
    unique_name,
)
from tests.support.tenants import Tenant


async def test_citizen_uploads_into_own_folder_and_reads_it_back(
    storage_as: Any, tenant: Tenant, db: AsyncConnection[Any]
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{unique_name()}"
    bucket = storage_as(tenant.tokens["citizen"]).from_("evidence")
    result = await bucket.upload(path, JPEG, {"content-type": "image/jpeg"})
    assert result.full_path == f"evidence/{path}"
    assert await bucket.download(path) == JPEG
    cur = await db.execute(
        "select tenant_id, user_id, ticket_id, purpose, source, size_bytes, content_type,"
        " scan_status from public.media_attachments where bucket = 'evidence' and path = %s",
        (path,))
    row = await cur.fetchone()
    assert row is not None
    assert (row["tenant_id"], row["user_id"], row["ticket_id"]) == (
        tenant.id, tenant.users["citizen"], None)
    assert (row["purpose"], row["source"], row["size_bytes"]) == ("evidence", "web", len(JPEG))
    assert (row["content_type"], row["scan_status"]) == ("image/jpeg", "pending")


async def test_citizen_cannot_upload_into_another_users_folder(
    storage_as: Any, tenant: Tenant
) -> None:
    path = f"{tenant.id}/{tenant.users['field_worker']}/{unique_name()}"
    with pytest.raises(StorageApiError) as caught:
        await storage_as(tenant.tokens["citizen"]).from_("evidence").upload(
            path, JPEG, {"content-type": "image/jpeg"})
    assert error_status(caught.value) == "403"
    assert "row-level security" in caught.value.message


async def test_citizen_uploads_to_the_ticket_they_reported_and_staff_read_it_once_checked(
    storage_as: Any, tenant: Tenant, tickets: Tickets, live_server: Any
) -> None:
    path = f"{tenant.id}/{tickets.ordinary}/{unique_name('png')}"
    await storage_as(tenant.tokens["citizen"]).from_("evidence").upload(
        path, real_image("PNG"), {"content-type": "image/png"})
    # Not yet checked (type, EXIF/GPS): only its uploader gets it.
    assert await storage_as(tenant.tokens["citizen"]).from_("evidence").download(path)
    with pytest.raises(StorageApiError) as caught:
        await storage_as(tenant.tokens["manager"]).from_("evidence").download(path)
    assert error_status(caught.value) == "404"
    await run_checks(live_server)
    checked = await storage_as(tenant.tokens["manager"]).from_("evidence").download(path)
    assert checked.startswith(PNG[:8])
    with pytest.raises(StorageApiError) as caught:
        await storage_as(tenant.tokens["saps_liaison"]).from_("evidence").download(path)
    assert error_status(caught.value) == "404"


async def test_nothing_crosses_municipalities(
    storage_as: Any, tenant: Tenant, other_tenant: Tenant, tickets: Tickets
) -> None:
    path = f"{tenant.id}/{tickets.ordinary}/{unique_name()}"
    await storage_as(tenant.tokens["citizen"]).from_("evidence").upload(
        path, JPEG, {"content-type": "image/jpeg"})
    for role in ("citizen", "manager", "admin"):
        with pytest.raises(StorageApiError) as caught:
            await storage_as(other_tenant.tokens[role]).from_("evidence").download(path)
        assert error_status(caught.value) == "404", role
    with pytest.raises(StorageApiError) as caught:
        await storage_as(other_tenant.tokens["admin"]).from_("evidence").upload(
            f"{tenant.id}/{tickets.ordinary}/{unique_name()}", JPEG,
            {"content-type": "image/jpeg"})
    assert error_status(caught.value) == "403"


async def test_only_saps_liaisons_and_admins_touch_sensitive_evidence(
    storage_as: Any, tenant: Tenant, tickets: Tickets, live_server: Any
) -> None:
    path = f"{tenant.id}/{tickets.sensitive}/{unique_name()}"
    await storage_as(tenant.tokens["saps_liaison"]).from_("gbv-evidence").upload(
        path, real_image("JPEG"), {"content-type": "image/jpeg"})
    with pytest.raises(StorageApiError) as caught:
        await storage_as(tenant.tokens["admin"]).from_("gbv-evidence").download(path)
    assert error_status(caught.value) == "404"
    await run_checks(live_server)
    for role in ("saps_liaison", "admin"):
        data = await storage_as(tenant.tokens[role]).from_("gbv-evidence").download(path)
        assert data.startswith(JPEG[:3])
    for role in ("manager", "field_worker", "citizen"):
        with pytest.raises(StorageApiError) as caught:
            await storage_as(tenant.tokens[role]).from_("gbv-evidence").download(path)
        assert error_status(caught.value) == "404", role
        with pytest.raises(StorageApiError) as caught:
            await storage_as(tenant.tokens[role]).from_("gbv-evidence").upload(
                f"{tenant.id}/{tickets.sensitive}/{unique_name()}", JPEG,
                {"content-type": "image/jpeg"})
        assert error_status(caught.value) == "403", role


async def test_sensitive_reports_evidence_cannot_land_in_the_ordinary_bucket(
    storage_as: Any, tenant: Tenant, tickets: Tickets, settings: Any
) -> None:
    with pytest.raises(StorageApiError) as caught:
        await storage_as(settings.supabase_service_role_key).from_("evidence").upload(
            f"{tenant.id}/{tickets.sensitive}/{unique_name()}", JPEG,
            {"content-type": "image/jpeg"})
    # 22023 from our trigger: the Storage server answers 400 (our own SA codes were a 500).
    assert error_status(caught.value) == "400", caught.value.message
    assert "protected bucket" in caught.value.message


async def test_signed_urls_work_then_expire(
    storage_as: Any, tenant: Tenant, api: httpx.AsyncClient
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{unique_name()}"
    bucket = storage_as(tenant.tokens["citizen"]).from_("evidence")
    await bucket.upload(path, JPEG, {"content-type": "image/jpeg"})
    signed = await bucket.create_signed_url(path, 3)
    fetched = await api.get(signed["signedURL"])
    assert fetched.status_code == 200 and fetched.content == JPEG
    assert fetched.headers["content-type"] == "image/jpeg"
    tampered = await api.get(signed["signedURL"].replace(path, path + "x"))
    assert tampered.status_code == 400 and tampered.json()["error"] == "InvalidJWT"
    await asyncio.sleep(4.1)
    expired = await api.get(signed["signedURL"])
    assert expired.status_code == 400
    assert expired.json() == {"statusCode": "400", "code": "InvalidJWT", "error": "InvalidJWT",
                              "message": "jwt expired"}


async def test_signed_url_needs_read_access(storage_as: Any, tenant: Tenant) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{unique_name()}"
    await storage_as(tenant.tokens["citizen"]).from_("evidence").upload(
        path, JPEG, {"content-type": "image/jpeg"})
    with pytest.raises(StorageApiError) as caught:
        await storage_as(tenant.tokens["field_worker"]).from_("evidence").create_signed_url(
            path, 60)
    assert error_status(caught.value) == "404"


async def test_bucket_size_and_type_limits_hold(storage_as: Any, tenant: Tenant) -> None:
    bucket = storage_as(tenant.tokens["citizen"]).from_("documents")
    folder = f"{tenant.id}/{tenant.users['citizen']}"
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload(f"{folder}/{unique_name('txt')}", b"hello",
                            {"content-type": "text/plain"})
    assert (error_status(caught.value), caught.value.code) == ("415", "invalid_mime_type")
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload(f"{folder}/{unique_name('pdf')}", b"%PDF-" + b"0" * (10 * 2**20),
                            {"content-type": "application/pdf"})
    assert error_status(caught.value) == "413"


async def test_upsert_semantics_match_supabase(storage_as: Any, tenant: Tenant) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{unique_name('png')}"
    bucket = storage_as(tenant.tokens["citizen"]).from_("evidence")
    await bucket.upload(path, JPEG, {"content-type": "image/jpeg"})
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload(path, PNG, {"content-type": "image/png"})
    assert (error_status(caught.value), caught.value.code) == ("409", "Duplicate")
    assert await bucket.download(path) == JPEG
    await bucket.upload(path, PNG, {"content-type": "image/png", "upsert": "true"})
    assert await bucket.download(path) == PNG
    await bucket.update(path, JPEG, {"content-type": "image/jpeg"})
    assert await bucket.download(path) == JPEG


async def test_signed_upload_url_lets_its_holder_upload_once_authorised(
    storage_as: Any, tenant: Tenant, other_tenant: Tenant
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{unique_name()}"
    bucket = storage_as(tenant.tokens["citizen"]).from_("documents")
    signed = await bucket.create_signed_upload_url(path)
    anonymous = storage_as(tenant.tokens["citizen"]).from_("documents")
    done = await anonymous.upload_to_signed_url(path, signed["token"], JPEG,
                                                {"content-type": "image/jpeg"})
    assert done.full_path == f"documents/{path}"
    assert await bucket.download(path) == JPEG
    with pytest.raises(StorageApiError) as caught:
        await storage_as(other_tenant.tokens["citizen"]).from_("documents") \
            .create_signed_upload_url(path)
    assert error_status(caught.value) == "403"
    with pytest.raises(StorageApiError) as caught:
        await anonymous.upload_to_signed_url(f"{path}.other", signed["token"], JPEG,
                                             {"content-type": "image/jpeg"})
    assert error_status(caught.value) == "400"


async def test_list_and_remove(storage_as: Any, tenant: Tenant) -> None:
    folder = f"{tenant.id}/{tenant.users['citizen']}"
    bucket = storage_as(tenant.tokens["citizen"]).from_("documents")
    name = unique_name("png")
    await bucket.upload(f"{folder}/{name}", PNG, {"content-type": "image/png"})
    listed = await bucket.list(folder)
    assert name in [entry["name"] for entry in listed]
    top = await bucket.list(str(tenant.id))
    assert {"name": str(tenant.users["citizen"]), "id": None} in [
        {"name": e["name"], "id": e["id"]} for e in top]
    other = storage_as(tenant.tokens["field_worker"]).from_("documents")
    assert await other.remove([f"{folder}/{name}"]) == []
    removed = await bucket.remove([f"{folder}/{name}"])
    assert [r["name"] for r in removed] == [f"{folder}/{name}"]
    assert name not in [entry["name"] for entry in await bucket.list(folder)]


async def test_anon_key_and_bad_tokens_get_nothing(
    storage_as: Any, tenant: Tenant, settings: Any, api: httpx.AsyncClient
) -> None:
    path = f"{tenant.id}/{tenant.users['citizen']}/{unique_name()}"
    await storage_as(tenant.tokens["citizen"]).from_("evidence").upload(
        path, JPEG, {"content-type": "image/jpeg"})
    with pytest.raises(StorageApiError) as caught:
        await storage_as(settings.supabase_anon_key).from_("evidence").download(path)
    assert error_status(caught.value) == "404"
    forged = await api.get(f"/storage/v1/object/evidence/{path}",
                           headers={"Authorization": "Bearer not-a-jwt"})
    assert forged.status_code == 400 and forged.json()["statusCode"] == "403"
    missing = await api.get(f"/storage/v1/object/nope/{path}",
                            headers=tenant.auth("citizen"))
    assert missing.json()["error"] == "Bucket not found"


async def test_an_upload_token_never_downloads_and_a_download_token_never_uploads(
    storage_as: Any, tenant: Tenant, api: httpx.AsyncClient, tickets: Tickets
) -> None:
    """Tokens carry their kind, bucket and exact path: the upload token from
    POST /uploads (GBV evidence included) is refused on the download URL."""
    path = f"{tenant.id}/{tickets.sensitive}/{unique_name()}"
    liaison = storage_as(tenant.tokens["saps_liaison"]).from_("gbv-evidence")
    signed = await liaison.create_signed_upload_url(path)
    await liaison.upload_to_signed_url(path, signed["token"], JPEG,
                                       {"content-type": "image/jpeg"})
    stolen = await api.get(f"/storage/v1/object/sign/gbv-evidence/{path}",
                           params={"token": signed["token"]})
    assert stolen.status_code == 400 and "not for downloads" in stolen.text
    download = await liaison.create_signed_url(path, 60)
    token = download["signedURL"].split("token=", 1)[1]
    forged = await api.put(f"/storage/v1/object/upload/sign/gbv-evidence/{path}",
                           params={"token": token}, content=JPEG,
                           headers={"content-type": "image/jpeg", "x-upsert": "true"})
    assert forged.status_code == 400 and "not for uploads" in forged.text


async def test_a_signed_url_does_not_serve_a_replacement_before_its_check(
    storage_as: Any, tenant: Tenant, tickets: Tickets, api: httpx.AsyncClient, live_server: Any
) -> None:
    path = f"{tenant.id}/{tickets.ordinary}/{unique_name()}"
    citizen = storage_as(tenant.tokens["citizen"]).from_("evidence")
    await citizen.upload(path, real_image("JPEG"), {"content-type": "image/jpeg"})
    await run_checks(live_server)
    signed = await storage_as(tenant.tokens["manager"]).from_("evidence").create_signed_url(
        path, 60)
    assert (await api.get(signed["signedURL"])).status_code == 200
    await citizen.upload(path, JPEG, {"content-type": "image/jpeg", "x-upsert": "true"})
    assert (await api.get(signed["signedURL"])).status_code == 400  # not found, not served
