"""Replying to a reporter with a response text: queued once, in their language, as the
sender (audited); never to a protected report's person unless they asked for WhatsApp,
and never about a ticket the sender cannot see."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from app.config import Settings
from app.notify.service import render
from app.templates.render import load
from tests.tickets.conftest import City, build_city, fetch, file


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)


async def reply(api: httpx.AsyncClient, town: City, ticket: dict[str, Any], role: str = "manager",
                key: str = "reply_received", reply_key: str | None = None) -> httpx.Response:
    return await api.post(f"/api/v1/tickets/{ticket['id']}/replies",
                          json={"template_key": key, "reply_key": reply_key or str(uuid.uuid4())},
                          headers=town.auth(role))


async def replies(owner: AsyncConnection, ticket: dict[str, Any]) -> list[dict[str, Any]]:
    return await fetch(owner, "select * from public.notification_outbox where ticket_id = %s"
                              " and reply_key is not null", ticket["id"])


async def test_a_manager_replies_in_the_reporters_language_as_themself(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    citizen = town.tenant.users["citizen"]
    await owner.execute("update public.profiles set preferred_language = 'zu' where id = %s",
                        (citizen,))
    try:
        ticket = await file(api, town)
        response = await reply(api, town, ticket, key="reply_team_on_the_way")
    finally:
        await owner.execute("update public.profiles set preferred_language = 'en'"
                            " where id = %s", (citizen,))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["language"] == "zu" and body["status"] == "pending"
    (row,) = await replies(owner, ticket)
    (phone,) = await fetch(owner, "select phone from public.profiles where id = %s", citizen)
    assert row["id"] == body["id"] and row["recipient"] == phone["phone"]
    assert row["created_by"] == town.tenant.users["manager"]
    assert row["variables"] == {"tracking_number": ticket["tracking_number"]}
    text = render(row, await load(owner, tenant_id=town.tenant.id))
    assert text == (f"Mayelana nombiko wakho {ticket['tracking_number']}: ithimba selithunyelwe"
                    " futhi lizofika maduze.")
    (audit,) = await fetch(owner, "select actor_id, is_sensitive from public.audit_log where"
                                  " table_name = 'notification_outbox' and operation = 'INSERT'"
                                  " and record_id = %s", str(row["id"]))
    assert audit["actor_id"] == town.tenant.users["manager"] and not audit["is_sensitive"]


async def test_a_retried_reply_is_queued_once_and_a_reused_key_is_refused(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    ticket = await file(api, town)
    key = str(uuid.uuid4())
    first = await reply(api, town, ticket, reply_key=key)
    again = await reply(api, town, ticket, reply_key=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = await reply(api, town, ticket, key="reply_fixed_check", reply_key=key)
    assert other.status_code == 409 and "reply_key" in other.text
    assert len(await replies(owner, ticket)) == 1


async def test_only_reply_texts_and_valid_bodies_are_accepted(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    ticket = await file(api, town)
    for key in ("menu", "privacy_notice", "reply_nonexistent"):
        response = await reply(api, town, ticket, key=key)
        assert response.status_code == 422 and "template_key" in response.text, key
    url = f"/api/v1/tickets/{ticket['id']}/replies"
    for body in ({"template_key": "reply_received"}, {"reply_key": str(uuid.uuid4())},
                 {"template_key": "reply_received", "reply_key": "not-a-uuid"},
                 {"template_key": "reply_received", "reply_key": str(uuid.uuid4()), "to": "+1"},
                 {"template_key": "Reply Received!", "reply_key": str(uuid.uuid4())}):
        response = await api.post(url, json=body, headers=town.auth("manager"))
        assert response.status_code == 422, body
    assert await replies(owner, ticket) == []


async def test_field_workers_citizens_and_other_municipalities_cannot_reply(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection, other_tenant
) -> None:
    ticket = await file(api, town)
    assert (await reply(api, town, ticket, role="field_worker")).status_code == 403
    assert (await reply(api, town, ticket, role="citizen")).status_code == 403
    for role in ("manager", "admin"):
        response = await api.post(f"/api/v1/tickets/{ticket['id']}/replies",
                                  json={"template_key": "reply_received",
                                        "reply_key": str(uuid.uuid4())},
                                  headers=other_tenant.auth(role))
        assert response.status_code == 404, role
    assert await replies(owner, ticket) == []


async def test_a_protected_reports_person_hears_only_after_asking_for_whatsapp(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    ticket = await file(api, town, category="gbv", sensitive=True, where=None)
    # A manager cannot tell it exists; the liaison is refused while "do not contact" stands.
    missing = await reply(api, town, {"id": str(uuid.uuid4())})
    hidden = await reply(api, town, ticket)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    refused = await reply(api, town, ticket, role="saps_liaison")
    assert refused.status_code == 409 and "WhatsApp" in refused.text
    assert await replies(owner, ticket) == []

    asked = await api.patch(f"/api/v1/tickets/{ticket['id']}/casework",
                            json={"contact_preference": "whatsapp"},
                            headers=town.auth("saps_liaison"))
    assert asked.status_code == 200, asked.text
    assert (await reply(api, town, ticket)).status_code == 404  # still not the manager's
    for role in ("saps_liaison", "admin"):
        response = await reply(api, town, ticket, role=role)
        assert response.status_code == 201, (role, response.text)
    rows = await replies(owner, ticket)
    assert {r["created_by"] for r in rows} == {town.tenant.users["saps_liaison"],
                                               town.tenant.users["admin"]}
    audit = await fetch(owner, "select is_sensitive from public.audit_log where table_name ="
                               " 'notification_outbox' and record_id = any(%s)",
                        [str(r["id"]) for r in rows])
    assert audit and all(a["is_sensitive"] for a in audit)
    # Nothing else about the report is queued for them: a status change still sends nothing.
    changed = await api.patch(f"/api/v1/tickets/{ticket['id']}/status",
                              json={"status": "in_progress"}, headers=town.auth("saps_liaison"))
    assert changed.status_code == 200
    everything = await fetch(owner, "select template_key from public.notification_outbox"
                                    " where ticket_id = %s", ticket["id"])
    assert sorted(r["template_key"] for r in everything) == ["reply_received", "reply_received"]


async def test_a_reporter_without_a_number_cannot_be_replied_to(
    api: httpx.AsyncClient, town: City, owner: AsyncConnection
) -> None:
    ticket = await file(api, town)
    await owner.execute("update public.tickets set reporter_id = null where id = %s",
                        (ticket["id"],))
    response = await reply(api, town, ticket)
    assert response.status_code == 409 and "number" in response.text
