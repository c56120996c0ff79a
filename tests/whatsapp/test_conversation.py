"""The reporting conversation through the real webhook, in every language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from psycopg import AsyncConnection

from app.config import channel_settings
from tests.support.db import fetch_all
from tests.support.texts import emergency, label, language_menu, text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

TRACKING = re.compile(r"T[A-Z]+-\d{4}-(?:\d{6}|P[2-9A-HJ-NP-Z]{6})")


async def conversation(db: AsyncConnection[Any], phone: str) -> dict[str, Any] | None:
    rows = await fetch_all(db, "select * from public.whatsapp_conversations where phone = %s",
                           (phone,))
    return rows[0] if rows else None


@pytest.mark.parametrize("language", ["en", "zu", "af", "xh"])
async def test_a_report_from_hello_to_tracking_number(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any], language: str
) -> None:
    phone = new_phone()
    first = await wa.say(phone, "Hello")
    assert first == language_menu()
    notice = await wa.say(phone, {"en": "1", "zu": "2", "af": "3", "xh": "4"}[language])
    assert notice.startswith(text("consent_notice", language, municipality="X",
                                  version="v")[:12].replace("X", "")) or "POPIA" in notice
    assert "POPIA" in notice
    menu = await wa.say(phone, "1")
    assert label("cat", "water", language) in menu
    assert await wa.say(phone, "2") == text("ask_description", language)
    assert await wa.say(phone, "Lights out on the whole street since Monday") == text(
        "ask_location", language)
    # A different street per language: the same spot would be offered as a duplicate.
    latitude = {"en": "-33.9249", "zu": "-33.9349", "af": "-33.9449", "xh": "-33.9549"}[language]
    asked = await wa.say(phone, "", Latitude=latitude, Longitude="18.4241",
                         Address="1 Long Street")
    assert asked == text("ask_photos", language, max=channel_settings().max_photos)
    summary = await wa.say(phone, "1")
    assert "Lights out on the whole street" in summary
    assert label("cat", "electricity", language) in summary
    done = await wa.say(phone, "1")
    tracking = TRACKING.search(done)
    assert tracking is not None, done
    assert done == text("filed", language, tracking_number=tracking.group(0))

    tickets = await fetch_all(
        db, "select t.*, extensions.st_y(t.location::extensions.geometry) as lat,"
            " p.phone, p.preferred_language from public.tickets t"
            " join public.profiles p on p.id = t.reporter_id where t.tracking_number = %s",
        (tracking.group(0),))
    ticket = tickets[0]
    assert ticket["category"] == "electricity" and ticket["source"] == "whatsapp"
    assert ticket["description"] == "Lights out on the whole street since Monday"
    assert ticket["tenant_id"] == wa_tenant["id"] and ticket["language"] == language
    assert abs(ticket["lat"] - float(latitude)) < 1e-6 and ticket["address"] == "1 Long Street"
    assert ticket["phone"] == phone and ticket["preferred_language"] == language
    consents = await fetch_all(
        db, "select * from public.consent_records where user_id = %s", (ticket["reporter_id"],))
    assert [(c["purpose"], c["consented"], c["consent_version"]) for c in consents] == [
        ("whatsapp_reporting", True, "1")]
    assert consents[0]["notice_template_id"] is not None
    conv = await conversation(db, phone)
    assert conv is not None and conv["state"] == "menu"
    assert conv["encrypted_draft_description"] is None and conv["language"] == language


async def test_a_typed_address_and_the_status_command(
    wa: WhatsApp, db: AsyncConnection[Any]
) -> None:
    phone = new_phone()
    await onboard(wa, phone, "af")
    await wa.say(phone, "3")
    await wa.say(phone, "Groot slaggat voor die skool")
    await wa.say(phone, "12 Kerkstraat, Paarl")
    await wa.say(phone, "klaar")
    tracking = TRACKING.search(await wa.say(phone, "ja"))
    assert tracking is not None
    reply = await wa.say(phone, f"status {tracking.group(0)}")
    assert reply == text("status_reply", "af", tracking_number=tracking.group(0),
                         status=label("status", "open", "af"))
    stranger = new_phone()
    await onboard(wa, stranger)
    assert await wa.say(stranger, f"status {tracking.group(0)}") == text("status_not_found",
                                                                         "en")
    assert await wa.say(stranger, "status") == text("status_usage", "en")
    rows = await fetch_all(db, "select address, location from public.tickets"
                               " where tracking_number = %s", (tracking.group(0),))
    assert rows[0]["address"] == "12 Kerkstraat, Paarl" and rows[0]["location"] is None


async def test_declining_consent_keeps_nothing(wa: WhatsApp, db: AsyncConnection[Any]) -> None:
    phone = new_phone()
    await wa.say(phone, "Sawubona")
    await wa.say(phone, "2")
    assert await wa.say(phone, "cha") == text("consent_declined", "zu")
    assert await conversation(db, phone) is None
    assert await fetch_all(db, "select 1 from public.profiles where phone = %s", (phone,)) == []


async def test_unclear_answers_repeat_only_the_question(wa: WhatsApp) -> None:
    phone = new_phone()
    await onboard(wa, phone, "zu")
    reply = await wa.say(phone, "angazi")
    assert reply == text("reprompt_menu", "zu") and len(reply) < 160
    await wa.say(phone, "1")
    assert await wa.say(phone, "short") == (
        text("description_too_short", "zu") + "\n\n" + text("ask_description", "zu"))


async def test_help_restart_stop_and_start(wa: WhatsApp, db: AsyncConnection[Any]) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    assert emergency("en") in await wa.say(phone, "help")
    await wa.say(phone, "4")
    await wa.say(phone, "Bins not collected for two weeks")
    restarted = await wa.say(phone, "restart")
    assert restarted.startswith(text("restarted", "en"))
    conv = await conversation(db, phone)
    assert conv is not None and conv["state"] == "menu"
    assert conv["encrypted_draft_description"] is None
    assert await wa.say(phone, "STOP") == text("stopped", "en")
    assert await wa.say(phone, "1") == ""
    consents = await fetch_all(
        db, "select c.withdrawn_at from public.consent_records c join public.profiles p"
            " on p.id = c.user_id where p.phone = %s", (phone,))
    assert consents and all(c["withdrawn_at"] is not None for c in consents)
    again = await wa.say(phone, "start")
    assert "POPIA" in again
    assert label("cat", "water", "en") in await wa.say(phone, "yes")


async def test_an_abandoned_draft_expires(wa: WhatsApp, db: AsyncConnection[Any],
                                          database_url: str) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    await wa.say(phone, "1")
    await wa.say(phone, "Burst pipe flooding the road")
    async with await AsyncConnection.connect(database_url) as owner:
        await owner.execute("update public.whatsapp_conversations set expires_at ="
                            " now() - interval '1 minute' where phone = %s", (phone,))
        await owner.commit()
    reply = await wa.say(phone, "Main Road 5")
    assert reply.startswith(text("expired", "en"))
    conv = await conversation(db, phone)
    assert conv is not None and conv["state"] == "menu" and conv["category"] is None
