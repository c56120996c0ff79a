"""On WhatsApp a likely duplicate is offered before filing: reply 1 to follow
it (its status updates then reach you), 2 to file a new report. Protected
reports are never offered and never get the offer."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import AsyncConnection

from tests.support.db import fetch_all
from tests.support.texts import emergency, text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard
from tests.whatsapp.test_conversation import TRACKING

SPOT = ("-33.8123", "18.5123")  # a street no other WhatsApp test uses


def offer_start() -> str:
    return text("duplicate_offer", "en", tracking_number="X").split("X")[0]


async def draft(wa: WhatsApp, phone: str, *, menu_choice: str = "1",
                language: str = "en") -> str:
    """Onboard, choose a category, describe, pin SPOT, no photos; returns the summary."""
    await onboard(wa, phone, language)
    await wa.say(phone, menu_choice)
    if menu_choice == "6":
        await wa.say(phone, "1")  # agree to the referral
        await wa.say(phone, "2")  # no child involved
    await wa.say(phone, "Water running down the road from a broken pipe")
    await wa.say(phone, "", Latitude=SPOT[0], Longitude=SPOT[1])
    return await wa.say(phone, "1")


async def ticket_count(db: AsyncConnection[Any], tenant_id: Any) -> int:
    rows = await fetch_all(db, "select count(*) as n from public.tickets where tenant_id = %s",
                           (tenant_id,))
    return int(rows[0]["n"])


async def test_following_a_likely_duplicate_instead_of_filing(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any],
    api: httpx.AsyncClient
) -> None:
    first = new_phone()
    await draft(wa, first)
    filed = await wa.say(first, "1")
    reference = TRACKING.search(filed)
    assert reference is not None and filed == text("filed", "en",
                                                  tracking_number=reference.group(0))

    second = new_phone()
    await draft(wa, second, language="zu")
    before = await ticket_count(db, wa_tenant["id"])
    offer = await wa.say(second, "1")
    assert offer == text("duplicate_offer", "zu", tracking_number=reference.group(0))
    unclear = await wa.say(second, "maybe")  # the question again, short
    assert unclear == text("reprompt_duplicate", "zu", tracking_number=reference.group(0))
    following = await wa.say(second, "1")
    assert following.startswith(text("following", "zu", tracking_number=reference.group(0)))
    assert await ticket_count(db, wa_tenant["id"]) == before

    [ticket] = await fetch_all(db, "select id from public.tickets where tracking_number = %s",
                               (reference.group(0),))
    followers = await fetch_all(
        db, "select p.phone, f.source from public.ticket_followers f"
        " join public.profiles p on p.id = f.user_id where f.ticket_id = %s", (ticket["id"],))
    assert followers == [{"phone": second, "source": "whatsapp"}]

    moved = await api.patch(f"/api/v1/tickets/{ticket['id']}/status",
                            json={"status": "in_progress"},
                            headers=wa_tenant["tenant"].auth("manager"))
    assert moved.status_code == 200, moved.text
    outbox = await fetch_all(db, "select recipient, language from public.notification_outbox"
                             " where ticket_id = %s order by recipient", (ticket["id"],))
    assert sorted(o["recipient"] for o in outbox) == sorted([first, second])
    assert {o["recipient"]: o["language"] for o in outbox}[second] == "zu"


async def test_choosing_to_file_a_new_report_files_it(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any]
) -> None:
    seed = new_phone()
    await draft(wa, seed)
    if (await wa.say(seed, "1")).startswith(offer_start()):
        await wa.say(seed, "2")  # another test filed here first: file this one anyway
    phone = new_phone()
    await draft(wa, phone, language="af")
    offer = await wa.say(phone, "1")
    assert offer.startswith(text("duplicate_offer", "af", tracking_number="X")[:20])
    filed = await wa.say(phone, "2")
    reference = TRACKING.search(filed)
    assert reference is not None and filed == text("filed", "af",
                                                  tracking_number=reference.group(0))


async def test_a_protected_report_is_never_offered_a_duplicate(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any]
) -> None:
    phone = new_phone()
    await draft(wa, phone, menu_choice="6")
    filed = await wa.say(phone, "1")
    reference = TRACKING.search(filed)
    assert reference is not None
    assert filed == text("filed_sensitive", "en", tracking_number=reference.group(0),
                         emergency=emergency("en"))
    # ...and a later ordinary report on the same spot is not pointed at it.
    other = new_phone()
    await draft(wa, other)
    reply = await wa.say(other, "1")
    assert reference.group(0) not in reply
