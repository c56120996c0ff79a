"""A citizen submits a bill; the OCR worker decides; managers decide what it could not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import Settings
from app.verification.worker import process_pending
from tests.ocr.documents import as_bytes, bill
from tests.support.tenants import Tenant, create_tenant

PLACE = "Stellenbosch Local Municipality"


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> Tenant:
    found = await create_tenant(database_url, settings.supabase_jwt_secret,
                                roles=("citizen", "manager", "field_worker"))
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("update public.municipalities set name = %s where id = %s",
                           (PLACE, found.id))
        await conn.execute("update public.profiles set verification_status = null,"
                           " verification_document_id = null where tenant_id = %s", (found.id,))
    return found


async def submit(api: httpx.AsyncClient, live_server: Any, town: Tenant, data: bytes,
                 content_type: str, database_url: str) -> dict[str, Any]:
    app = live_server._server.config.app
    path = f"{town.id}/{town.users['citizen']}/bill-{datetime.now(UTC).timestamp()}.png"
    await app.state.storage.upload(bucket="documents", path=path, data=data,
                                   content_type=content_type, upsert=True, source="web")
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute("select id from public.media_attachments where path = %s",
                                 (path,))
        media = await cur.fetchone()
    assert media is not None
    sent = await api.post("/api/v1/verification", json={"document_id": str(media["id"])},
                          headers=town.auth("citizen"))
    assert sent.status_code == 202, sent.text
    assert sent.json()["verification_status"] == "pending"
    await process_pending(app.state.pool, app.state.storage, user_id=town.users["citizen"])
    mine = await api.get("/api/v1/verification", headers=town.auth("citizen"))
    return dict(mine.json())


def rendered(days_old: int) -> bytes:
    when = datetime.now(UTC).date() - timedelta(days=days_old)
    return as_bytes(bill(municipality=PLACE, name="Citizen", street="12 Dorp Street",
                         town="Stellenbosch", postcode="7600", when=when))


async def test_stale_bill_rejected_then_junk_reviewed_then_fresh_bill_verified(
    api: httpx.AsyncClient, live_server: Any, town: Tenant, database_url: str
) -> None:
    stale = await submit(api, live_server, town, rendered(150), "image/png", database_url)
    assert stale["verification_status"] == "rejected"
    assert any("three months" in r for r in stale["verification_reasons"])

    junk = await submit(api, live_server, town, b"%PDF-1.4 broken", "application/pdf",
                        database_url)
    assert junk["verification_status"] == "needs_review"
    listed = await api.get("/api/v1/verification/cases", headers=town.auth("manager"))
    assert [c["user_id"] for c in listed.json()] == [str(town.users["citizen"])]
    refused = await api.get("/api/v1/verification/cases", headers=town.auth("field_worker"))
    assert refused.status_code == 403
    decided = await api.post(f"/api/v1/verification/cases/{town.users['citizen']}/decision",
                             json={"decision": "rejected", "note": "illegible"},
                             headers=town.auth("manager"))
    assert decided.status_code == 200 and decided.json()["verification_status"] == "rejected"
    again = await api.post(f"/api/v1/verification/cases/{town.users['citizen']}/decision",
                           json={"decision": "verified"}, headers=town.auth("manager"))
    assert again.status_code == 409

    fresh = await submit(api, live_server, town, rendered(10), "image/png", database_url)
    assert fresh["verification_status"] == "verified", fresh["verification_reasons"]
    assert "Stellenbosch" in fresh["verified_address"]
    assert fresh["verified_at"] is not None


async def test_others_documents_cannot_be_submitted(
    api: httpx.AsyncClient, town: Tenant, tenant: Tenant, db: AsyncConnection[Any]
) -> None:
    cur = await db.execute("select id from public.media_attachments where tenant_id = %s"
                           " and purpose = 'proof_of_residence' limit 1", (town.id,))
    row = await cur.fetchone()
    assert row is not None
    sent = await api.post("/api/v1/verification", json={"document_id": str(row["id"])},
                          headers=tenant.auth("citizen"))
    assert sent.status_code == 404
