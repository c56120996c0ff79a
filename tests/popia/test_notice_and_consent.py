"""A citizen on the web: sees the notice in isiZulu, acknowledges it (once per version),
files a report only then, gives and withdraws consent, and asks for their data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from app.config import Settings
from tests.popia.conftest import new_citizen, one
from tests.support.tenants import Tenant

REPORT = {"category": "water", "description": "Burst pipe flooding the corner",
          "address": "3 Notice Street", "language": "zu"}


async def test_the_notice_in_isizulu_before_and_after_sign_up(
    api: httpx.AsyncClient, town: Tenant
) -> None:
    public = await api.get("/api/v1/privacy/notice",
                           params={"municipality": town.code, "language": "zu"})
    assert public.status_code == 200, public.text
    notice = public.json()
    assert notice["language"] == "zu" and notice["version"] >= 1
    assert "Isaziso sobumfihlo" in notice["body"] and f"Test Municipality {town.code}" in notice[
        "body"]
    assert "{" not in notice["body"]
    signed_in = await api.get("/api/v1/privacy/notice", params={"language": "zu"},
                              headers=town.auth("citizen"))
    assert signed_in.json() == notice
    assert (await api.get("/api/v1/privacy/notice",
                          params={"municipality": "NOPE"})).status_code == 404
    assert (await api.get("/api/v1/privacy/notice")).status_code == 422


async def test_reports_wait_for_the_notice_and_consent_is_given_and_withdrawn(
    api: httpx.AsyncClient, town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town, language="zu")
    refused = await api.post("/api/v1/reports", json=REPORT, headers=me.auth)
    assert refused.status_code == 428 and "privacy notice" in refused.json()["detail"]

    notice = (await api.get("/api/v1/privacy/notice", params={"language": "zu"},
                            headers=me.auth)).json()
    stale = await api.post("/api/v1/me/consents", headers=me.auth, json={
        "purpose": "privacy_notice", "notice_version": notice["version"] + 1, "language": "zu"})
    assert stale.status_code == 409 and "notice_version" in stale.json()["detail"]
    ack = await api.post("/api/v1/me/consents", headers=me.auth, json={
        "purpose": "privacy_notice", "notice_version": notice["version"], "language": "zu"})
    assert ack.status_code == 201, ack.text
    again = await api.post("/api/v1/me/consents", headers=me.auth, json={
        "purpose": "privacy_notice", "notice_version": notice["version"], "language": "zu"})
    assert again.json()["id"] == ack.json()["id"]  # once per notice version
    assert ack.json()["notice_template_id"] == notice["id"] and ack.json()["language"] == "zu"

    filed = await api.post("/api/v1/reports", json=REPORT, headers=me.auth)
    assert filed.status_code == 201, filed.text

    updates = await api.post("/api/v1/me/consents", headers=me.auth, json={
        "purpose": "progress_updates", "notice_version": notice["version"], "language": "zu"})
    assert updates.status_code == 201
    assert (await api.delete("/api/v1/me/consents/progress_updates",
                             headers=me.auth)).status_code == 204
    assert (await api.delete("/api/v1/me/consents/progress_updates",
                             headers=me.auth)).status_code == 404
    assert (await api.delete("/api/v1/me/consents/anything", headers=me.auth)).status_code == 422
    mine = {c["purpose"]: c for c in (await api.get("/api/v1/me/consents",
                                                    headers=me.auth)).json()}
    assert mine["progress_updates"]["withdrawn_at"] is not None
    assert mine["privacy_notice"]["withdrawn_at"] is None

    asked = await api.post("/api/v1/me/data-requests", headers=me.auth,
                           json={"kind": "access", "details": "Everything, please",
                                 "due_at": "2020-01-01T00:00:00Z"})
    assert asked.status_code == 201, asked.text
    due = datetime.fromisoformat(asked.json()["due_at"])
    assert abs(due - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)
    assert asked.json()["status"] == "open" and asked.json()["reference"].startswith("DSR-")


async def test_a_new_notice_version_must_be_acknowledged_again(
    api: httpx.AsyncClient, town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    notice = (await api.get("/api/v1/privacy/notice", headers=me.auth)).json()
    await api.post("/api/v1/me/consents", headers=me.auth,
                   json={"purpose": "privacy_notice", "notice_version": notice["version"]})
    assert (await api.post("/api/v1/reports", json=REPORT, headers=me.auth)).status_code == 201
    draft = await api.post("/api/v1/templates", headers=town.auth("manager"), json={
        "key": "privacy_notice", "language": "en",
        "body": notice["body"].replace(f"Test Municipality {town.code}", "{municipality}")
                .replace(f"(version {notice['version']})", "(version {version})")
                + "\nWe now also keep street names."})
    assert draft.status_code == 201, draft.text
    approved = await api.post(f"/api/v1/templates/{draft.json()['id']}/approve",
                              headers=town.auth("admin"), json={"note": "New street data"})
    assert approved.status_code == 200, approved.text
    assert (await api.post("/api/v1/reports", json=REPORT, headers=me.auth)).status_code == 428
    newer = (await api.get("/api/v1/privacy/notice", headers=me.auth)).json()
    assert newer["version"] == approved.json()["version"] and "street names" in newer["body"]
    await api.post("/api/v1/me/consents", headers=me.auth,
                   json={"purpose": "privacy_notice", "notice_version": newer["version"]})
    assert (await api.post("/api/v1/reports", json=REPORT, headers=me.auth)).status_code == 201
    row = await one(database_url, "select count(*) as n from public.consent_records"
                    " where user_id = %s and purpose = 'privacy_notice'", (me.id,))
    assert row["n"] == 2
