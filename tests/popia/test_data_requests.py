"""The information officer's queue: 30 days, one extension with reasons, an outcome
(a refusal with reasons), overdue requests flagged; WhatsApp starts requests but never
sends the data; the registers are for admins only, and audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from psycopg import AsyncConnection

from app.config import Settings
from tests.popia.conftest import new_citizen, one
from tests.support.tenants import Tenant, acknowledge_notice
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard


async def test_extend_once_with_reasons_then_complete(
    api: httpx.AsyncClient, town: Tenant, other_tenant: Tenant, database_url: str,
    settings: Settings,
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    asked = (await api.post("/api/v1/me/data-requests", headers=me.auth,
                            json={"kind": "correction", "details": "My name is misspelt"})).json()
    url = f"/api/v1/data-requests/{asked['id']}"
    assert (await api.post(f"{url}/extend", headers=town.auth("manager"),
                           json={"reason": "Waiting for records"})).status_code == 403
    assert (await api.post(f"{url}/extend", headers=other_tenant.auth("admin"),
                           json={"reason": "Waiting for records"})).status_code == 404
    assert (await api.post(f"{url}/extend", headers=town.auth("admin"),
                           json={"reason": ""})).status_code == 422
    extended = await api.post(f"{url}/extend", headers=town.auth("admin"),
                              json={"reason": "The paper file is at the ward office"})
    assert extended.status_code == 200, extended.text
    due = datetime.fromisoformat(extended.json()["due_at"])
    assert due - datetime.fromisoformat(asked["due_at"]) == timedelta(days=30)
    assert (await api.post(f"{url}/extend", headers=town.auth("admin"),
                           json={"reason": "Still waiting"})).status_code == 409
    wrong = await api.post(f"{url}/complete", headers=town.auth("admin"),
                           json={"outcome": "deleted"})
    assert wrong.status_code == 422 and wrong.json()["detail"].startswith("outcome")
    bare = await api.post(f"{url}/complete", headers=town.auth("admin"),
                          json={"outcome": "refused"})
    assert bare.status_code == 422 and "reason" in bare.json()["detail"]
    done = await api.post(f"{url}/complete", headers=town.auth("admin"),
                          json={"outcome": "corrected", "reason": "Spelling fixed"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert (await api.post(f"{url}/complete", headers=town.auth("admin"),
                           json={"outcome": "corrected"})).status_code == 409
    mine = (await api.get("/api/v1/me/data-requests", headers=me.auth)).json()
    assert [r["outcome"] for r in mine] == ["corrected"]
    assert (await api.get("/api/v1/data-requests", headers=me.auth)).status_code == 403


async def test_overdue_requests_are_shown_and_escalated(
    api: httpx.AsyncClient, town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    asked = (await api.post("/api/v1/me/data-requests", headers=me.auth,
                            json={"kind": "access"})).json()
    await one(database_url, "update public.data_subject_requests set due_at = now() - interval"
              " '1 day' where id = %s returning id", (asked["id"],))
    escalated = await one(database_url,
                          "select private.escalate_overdue_data_requests() as n")
    assert escalated["n"] >= 1
    late = (await api.get("/api/v1/data-requests", params={"overdue": "true"},
                          headers=town.auth("admin"))).json()
    row = next(r for r in late if r["id"] == asked["id"])
    assert row["overdue"] and row["escalated_at"]


async def test_whatsapp_my_data_opens_a_request_and_sends_no_data(
    town_wa: WhatsApp, database_url: str
) -> None:
    phone = new_phone()
    assert "no information" in await town_wa.say(phone, "my data")
    await onboard(town_wa, phone, "af")
    reply = await town_wa.say(phone, "my data")
    assert "DSR-" in reply and "WhatsApp" in reply and phone not in reply
    row = await one(database_url, "select r.kind, r.channel, r.status from"
                    " public.data_subject_requests r join public.profiles p on p.id = r.user_id"
                    " where p.phone = %s", (phone,))
    assert row == {"kind": "access", "channel": "whatsapp", "status": "open"}


async def test_registers_are_for_admins_and_audited(
    api: httpx.AsyncClient, town: Tenant, other_tenant: Tenant, database_url: str
) -> None:
    breach = {"discovered_at": "2026-03-01T08:00:00Z", "breach_type": "confidentiality",
              "description": "A laptop with an export was stolen", "people_affected": 12,
              "data_categories": ["phone_number", "address"], "status": "confirmed"}
    for role in ("citizen", "manager", "saps_liaison", "field_worker"):
        assert (await api.post("/api/v1/breaches", json=breach,
                               headers=town.auth(role))).status_code == 403
        assert (await api.get("/api/v1/operators", headers=town.auth(role))).status_code == 403
    made = await api.post("/api/v1/breaches", json=breach, headers=town.auth("admin"))
    assert made.status_code == 201, made.text
    assert made.json()["tenant_id"] == str(town.id)
    assert made.json()["id"] not in {b["id"] for b in (await api.get(
        "/api/v1/breaches", headers=other_tenant.auth("admin"))).json()}
    abroad = await api.post("/api/v1/operators", headers=town.auth("admin"), json={
        "name": "Cloud Backup Ltd", "service": "Backups", "country": "IE",
        "cross_border": True})
    assert abroad.status_code == 422 and abroad.json()["detail"].startswith("safeguard")
    operators = (await api.get("/api/v1/operators", headers=town.auth("admin"))).json()
    assert {"Twilio Inc.", "Meta Platforms (WhatsApp)"} <= {o["name"] for o in operators}
    audited = await one(database_url, "select actor_role from public.audit_log"
                        " where table_name = 'breach_register' and record_id = %s",
                        (made.json()["id"],))
    assert audited == {"actor_role": "admin"}


async def test_a_private_reports_words_are_in_the_bundle_only_after_verification(
    api: httpx.AsyncClient, town: Tenant, database_url: str, settings: Settings
) -> None:
    me = await new_citizen(database_url, settings.supabase_jwt_secret, town)
    async with await AsyncConnection.connect(database_url) as conn:
        await acknowledge_notice(conn, me.id, town.id)
        await conn.commit()
    words = "He comes back every night and I am afraid"
    filed = await api.post("/api/v1/reports", headers=me.auth, json={
        "category": "gbv", "is_sensitive": True, "description": words,
        "address": "A safe place"})
    assert filed.status_code == 201, filed.text
    asked = (await api.post("/api/v1/me/data-requests", headers=me.auth,
                            json={"kind": "access"})).json()
    before = (await api.get("/api/v1/me/export", headers=me.auth)).json()
    private = next(r for r in before["reports"] if r.get("private"))
    assert private["content"].startswith("withheld") and words not in str(before)
    verified = await api.post(f"/api/v1/data-requests/{asked['id']}/verify",
                              headers=town.auth("admin"))
    assert verified.status_code == 200 and verified.json()["requester_verified_at"]
    after = (await api.get("/api/v1/me/export", headers=me.auth)).json()
    assert next(r for r in after["reports"] if r.get("private"))["content"] == words
