"""A phone is a person per municipality; a deleted person who comes back starts
afresh; a protected report may decline to say where, in every language."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from tests.support.db import fetch_all
from tests.support.server import LiveServer
from tests.support.tenants import Tenant
from tests.support.texts import text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard
from tests.whatsapp.test_sensitive_and_media import TRACKING


@pytest.fixture
async def wa_other(live_server: LiveServer, settings: Any, other_tenant: Tenant,
                   database_url: str) -> Any:
    """The second municipality, with its own WhatsApp number."""
    number = f"+2722{uuid.uuid4().int % 10**7:07d}"
    async with await AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute(
            "update public.municipalities set whatsapp_number = coalesce(whatsapp_number, %s)"
            " where id = %s returning whatsapp_number", (number, other_tenant.id))
        number = (await cur.fetchone())[0]  # type: ignore[index]
        await conn.commit()
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
        yield WhatsApp(client, settings.twilio_auth_token, number)


async def _profiles(db: AsyncConnection[Any], phone: str) -> list[dict[str, Any]]:
    return await fetch_all(db, "select id, tenant_id, preferred_language, deleted_at"
                               " from public.profiles where phone = %s order by created_at",
                           (phone,))


async def test_a_phone_is_a_person_per_municipality(
    wa: WhatsApp, wa_other: WhatsApp, db: AsyncConnection[Any], tenant: Tenant,
    other_tenant: Tenant, database_url: str,
) -> None:
    phone = new_phone()
    await onboard(wa, phone, "zu")
    await wa.say(phone, "1")
    await wa.say(phone, "Water has been leaking for three days")
    await wa.say(phone, "", Latitude="-26.2", Longitude="28.04")
    await wa.say(phone, "1")
    tracking = TRACKING.search(await wa.say(phone, "1"))
    assert tracking is not None
    await onboard(wa_other, phone, "af")
    people = await _profiles(db, phone)
    assert [(p["tenant_id"], p["preferred_language"]) for p in people] == [
        (tenant.id, "zu"), (other_tenant.id, "af")]
    # B's conversation never answers about A's report.
    answer = await wa_other.say(phone, f"status {tracking.group(0)}")
    assert tracking.group(0) not in answer
    tickets = await fetch_all(db, "select reporter_id from public.tickets"
                                  " where tracking_number = %s", (tracking.group(0),))
    assert tickets[0]["reporter_id"] == people[0]["id"]
    # Even a conversation in B linked to A's person (as before this rule) answers
    # only about B's reports.
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("update public.whatsapp_conversations set user_id = %s"
                           " where tenant_id = %s and phone = %s",
                           (people[0]["id"], other_tenant.id, phone))
        await conn.commit()
    answer = await wa_other.say(phone, f"status {tracking.group(0)}")
    assert tracking.group(0) not in answer


async def test_a_deleted_person_who_comes_back_starts_afresh(
    wa: WhatsApp, db: AsyncConnection[Any], database_url: str
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    (first,) = await _profiles(db, phone)
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("update public.profiles set deleted_at = now() where id = %s",
                           (first["id"],))
        await conn.execute("delete from public.whatsapp_conversations where phone = %s", (phone,))
        await conn.commit()
    await wa.say(phone, "hi")
    await wa.say(phone, "1")
    menu = await wa.say(phone, "1")  # agrees again: no 409, a new person
    assert "1" in menu
    people = await _profiles(db, phone)
    assert len(people) == 2 and people[1]["deleted_at"] is None
    assert people[1]["id"] != first["id"]


@pytest.mark.parametrize("language,refusal", [
    ("en", "skip"), ("en", "Not safe"), ("en", "no"), ("zu", "angifuni"), ("af", "oorslaan"),
])
async def test_a_protected_report_may_decline_to_say_where(
    wa: WhatsApp, db: AsyncConnection[Any], language: str, refusal: str
) -> None:
    phone = new_phone()
    await onboard(wa, phone, language)
    await wa.say(phone, "6")
    await wa.say(phone, "1")
    await wa.say(phone, "2")  # no child involved
    await wa.say(phone, "Something happened at home last night, I need help")
    await wa.say(phone, refusal)
    await wa.say(phone, "1")  # no photos
    filed = TRACKING.search(await wa.say(phone, "1"))
    assert filed is not None
    ticket = (await fetch_all(db, "select address, location, is_sensitive from public.tickets"
                                  " where tracking_number = %s", (filed.group(0),)))[0]
    assert ticket["is_sensitive"]
    assert ticket["address"] is None and ticket["location"] is None


async def test_a_new_whatsapp_gbv_reporter_is_invisible_to_managers(
    wa: WhatsApp, db: AsyncConnection[Any], tenant: Tenant
) -> None:
    from tests.support.db import act_as

    phone = new_phone()
    await onboard(wa, phone)
    await wa.say(phone, "6")
    (person,) = await _profiles(db, phone)
    for role, visible in (("manager", False), ("saps_liaison", False), ("admin", True)):
        await act_as(db, tenant.claims[role])
        rows = await fetch_all(db, "select id from public.profiles where id = %s", (person["id"],))
        assert bool(rows) is visible, role
    await act_as(db, None)


async def test_a_refusal_is_never_stored_as_an_ordinary_reports_address(
    wa: WhatsApp, db: AsyncConnection[Any]
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    await wa.say(phone, "1")
    await wa.say(phone, "Water has been leaking for three days")
    again = await wa.say(phone, "not safe")
    assert again == text("location_too_short", "en")
    rows = await fetch_all(db, "select state, address from public.whatsapp_conversations"
                               " where phone = %s", (phone,))
    assert rows[0]["state"] == "location" and rows[0]["address"] is None
