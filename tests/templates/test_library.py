"""The message library: managers draft, only admins approve, drafts never reach a
citizen, and the next WhatsApp report gets (and records) the approved version."""

from __future__ import annotations

import re
from typing import Any

import httpx
from psycopg import AsyncConnection

from tests.support.db import fetch_all
from tests.support.tenants import Tenant
from tests.support.texts import text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

TRACKING = re.compile(r"T[A-Z]+-\d{4}-\d{6}")
NEW_FILED = "Ngiyabonga! Your report {tracking_number} is with {municipality_free} now."


async def report_over_whatsapp(wa: WhatsApp, phone: str) -> str:
    await wa.say(phone, "1")
    await wa.say(phone, "Water leaking from the meter box since Sunday")
    await wa.say(phone, "12 Library Road, Ward 4")
    await wa.say(phone, "1")
    return await wa.say(phone, "1")


async def test_an_approved_filed_message_reaches_the_next_whatsapp_report(
    api: httpx.AsyncClient, town: Tenant, town_wa: WhatsApp, db: AsyncConnection[Any],
) -> None:
    body = "Ngiyabonga! Your report {tracking_number} is on its way to the team."
    refused = await api.post("/api/v1/templates", headers=town.auth("manager"), json={
        "key": "filed", "language": "en", "body": NEW_FILED})
    assert refused.status_code == 422 and "municipality_free" in refused.json()["detail"]
    braces = await api.post("/api/v1/templates", headers=town.auth("manager"), json={
        "key": "filed", "language": "en", "body": "Ref {tracking_number} {"})
    assert braces.status_code == 422 and braces.json()["detail"].startswith("body")
    assert (await api.post("/api/v1/templates", headers=town.auth("citizen"), json={
        "key": "filed", "language": "en", "body": body})).status_code == 403

    draft = await api.post("/api/v1/templates", headers=town.auth("manager"),
                           json={"key": "filed", "language": "en", "body": body})
    assert draft.status_code == 201, draft.text
    assert draft.json()["status"] == "draft" and draft.json()["previous_version_id"]

    phone = new_phone()
    await onboard(town_wa, phone)
    before = await report_over_whatsapp(town_wa, phone)
    tracking = TRACKING.search(before)
    assert tracking and before == text("filed", "en", tracking_number=tracking.group(0))

    assert (await api.post(f"/api/v1/templates/{draft.json()['id']}/approve",
                           headers=town.auth("manager"), json={})).status_code == 403
    approved = await api.post(f"/api/v1/templates/{draft.json()['id']}/approve",
                              headers=town.auth("admin"), json={"note": "Warmer words"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_by"] == str(town.users["admin"])

    after = await report_over_whatsapp(town_wa, phone)
    tracking = TRACKING.search(after)
    assert tracking and after == body.format(tracking_number=tracking.group(0))
    rows = await fetch_all(db, "select template_ids from public.whatsapp_inbound_messages"
                               " where reply = %s", (after,))
    assert [[str(i) for i in r["template_ids"]] for r in rows] == [[approved.json()["id"]]]

    listed = (await api.get("/api/v1/templates", params={"key": "filed", "language": "en"},
                            headers=town.auth("manager"))).json()
    mine = [t for t in listed["templates"] if t["tenant_id"] == str(town.id)]
    assert [t["status"] for t in mine] == ["approved"]
    assert listed["keys"] == [{"key": "filed", "kind": "conversation",
                               "variables": ["tracking_number"]}]
    again = await api.post(f"/api/v1/templates/{draft.json()['id']}/approve",
                           headers=town.auth("admin"), json={})
    assert again.status_code == 409


async def test_drafts_stay_inside_their_municipality_and_versions_are_never_edited(
    api: httpx.AsyncClient, town: Tenant, other_tenant: Tenant, db: AsyncConnection[Any],
) -> None:
    draft = await api.post("/api/v1/templates", headers=town.auth("admin"), json={
        "key": "restarted", "language": "af", "body": "Kom ons begin van voor af."})
    assert draft.status_code == 201
    template_id = draft.json()["id"]
    theirs = await api.get("/api/v1/templates", params={"key": "restarted"},
                           headers=other_tenant.auth("admin"))
    assert template_id not in {t["id"] for t in theirs.json()["templates"]}
    assert (await api.post(f"/api/v1/templates/{template_id}/approve",
                           headers=other_tenant.auth("admin"), json={})).status_code == 404
    assert (await api.get("/api/v1/templates",
                          headers=town.auth("citizen"))).status_code == 403
    platform = next(t for t in theirs.json()["templates"] if t["tenant_id"] is None
                    and t["language"] == "af")
    assert (await api.post(f"/api/v1/templates/{platform['id']}/retire",
                           headers=town.auth("admin"))).status_code == 403
    retired = await api.post(f"/api/v1/templates/{template_id}/retire",
                             headers=town.auth("admin"))
    assert retired.status_code == 200 and retired.json()["retired_at"]
    cur = await db.execute("select count(*) as n from public.message_templates"
                           " where status = 'approved' group by coalesce(tenant_id::text, ''),"
                           " template_key, language having count(*) > 1")
    assert await cur.fetchall() == []
    preview = await api.post("/api/v1/templates/preview", headers=town.auth("manager"),
                             json={"body": "Ref {tracking_number} for {name}",
                                   "values": {"tracking_number": "X-1"}})
    assert preview.json() == {"text": "Ref X-1 for {name}"}


async def test_a_text_in_any_language_the_platform_speaks_and_no_other(
    api: httpx.AsyncClient, town: Tenant, db: AsyncConnection[Any],
) -> None:
    manager = town.auth("manager")
    offered = await api.get("/api/v1/templates", headers=manager, params={"key": "restarted"})
    assert [(lang["code"], lang["name"]) for lang in offered.json()["languages"]] == [
        ("en", "English"), ("zu", "isiZulu"), ("af", "Afrikaans"), ("xh", "isiXhosa")]
    xhosa = await api.post("/api/v1/templates", headers=manager, json={
        "key": "restarted", "language": "xh", "body": "Masiqale ngokutsha."})
    assert xhosa.status_code == 201 and xhosa.json()["language"] == "xh", xhosa.text
    unknown = await api.post("/api/v1/templates", headers=manager, json={
        "key": "restarted", "language": "xx", "body": "Let us start again."})
    assert unknown.status_code == 422 and unknown.json()["detail"].startswith("language")
    malformed = await api.post("/api/v1/templates", headers=manager, json={
        "key": "restarted", "language": "English", "body": "Let us start again."})
    assert malformed.status_code == 422 and "language" in malformed.text
    rows = await fetch_all(db, "select 1 from public.message_templates where language = 'xx'")
    assert rows == []


async def test_the_library_generation_moves_only_for_those_whose_texts_changed(
    db: AsyncConnection[Any], town: Tenant, tenant: Tenant,
) -> None:
    """Readers keep a municipality's library while its generation stands: a text written
    for one municipality moves its generation only; a platform text moves everyone's."""
    async def generations() -> tuple[str, str]:
        rows = await fetch_all(db, "select private.library_generation(%s) as town,"
                                   " private.library_generation(%s) as other",
                               (town.id, tenant.id))
        return rows[0]["town"], rows[0]["other"]

    town_before, other_before = await generations()
    await db.execute(
        "insert into public.message_templates (tenant_id, template_key, language, body)"
        " values (%s, 'filed', 'af', 'Dankie! Verwysing {tracking_number}.')", (town.id,))
    town_after, other_after = await generations()
    assert town_after != town_before and other_after == other_before
    await db.execute(
        "insert into public.message_templates (tenant_id, template_key, language, body)"
        " values (null, 'filed', 'af', 'Baie dankie! Verwysing {tracking_number}.')")
    town_last, other_last = await generations()
    assert town_last != town_after and other_last != other_after
