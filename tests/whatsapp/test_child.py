"""The duty to protect children in the private conversation: told first, asked in every
language, flagged when filed, never switched off, and the reporter never messaged."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection

from app.config import ChannelSettings, Settings
from app.worker import run_worker
from tests.support.db import act_as, fetch_all
from tests.support.texts import emergency, label, text
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone

TRACKING = re.compile(r"T[A-Z]+-\d{4}-P[2-9A-HJ-NP-Z]{6}")
FORBIDDEN = re.compile(r"gbv|police|amaphoyisa|polisie|amapolisa", re.IGNORECASE)
CHANNEL = ChannelSettings(send_rate_per_sender=0, backoff_base_seconds=0.0)
CHOICE = {"en": "1", "zu": "2", "af": "3", "xh": "4"}
# (unclear answer, yes as people say it) per language
ANSWERS = {"en": ("not sure", "Yes"), "zu": ("angazi", "yebo"), "af": ("weet nie", "Ja."),
           "xh": ("andazi", "ewe")}
SPOTS = itertools.count()


async def languages_with_the_question(db: AsyncConnection[Any]) -> list[str]:
    """Every language the library asks the question in (isiXhosa once it is a language)."""
    rows = await fetch_all(db, "select language from public.message_templates"
                               " where tenant_id is null and template_key = 'child_question'"
                               " and status = 'approved' order by language")
    found = [r["language"] for r in rows]
    assert {"en", "zu", "af"} <= set(found)
    return found


def safe(reply: str) -> bool:
    """Carries every emergency number and no word that gives the report away."""
    return all(n in reply for n in ("10111", "0800 428 428", "116")) \
        and not FORBIDDEN.search(reply)


async def report(wa: WhatsApp, phone: str, language: str, *, child: list[str]
                 ) -> tuple[str, list[str]]:
    """Onboard, choose the private channel, agree, answer `child`, then file."""
    await wa.say(phone, "hi")
    await wa.say(phone, CHOICE[language])
    await wa.say(phone, "1")
    replies = [await wa.say(phone, "6"), await wa.say(phone, "1")]
    for said in child:
        replies.append(await wa.say(phone, said))
    replies.append(await wa.say(phone, "Something happened at home last night, I need help"))
    spot = -29.1 - next(SPOTS) * 0.01
    replies.append(await wa.say(phone, "", Latitude=f"{spot:.4f}", Longitude="26.2"))
    replies.append(await wa.say(phone, "1"))  # no photos
    replies.append(await wa.say(phone, "1"))  # send
    found = TRACKING.search(replies[-1])
    assert found is not None, replies
    return found.group(0), replies


async def case_of(db: AsyncConnection[Any], tracking: str) -> dict[str, Any]:
    rows = await fetch_all(
        db, "select t.id, t.tenant_id, t.reporter_id, c.child_involved, c.child_flagged_at,"
            " c.child_flagged_by, c.acknowledge_by, r.status as referral,"
            " r.reporter_type from public.tickets t"
            " join public.protected_casework c on c.ticket_id = t.id"
            " left join public.dsd_referrals r on r.ticket_id = t.id"
            " where t.tracking_number = %s", (tracking,))
    return dict(rows[0])


async def test_a_child_case_is_told_asked_and_flagged_in_every_language(
    wa: WhatsApp, db: AsyncConnection[Any]
) -> None:
    for language in await languages_with_the_question(db):
        unclear, yes = ANSWERS.get(language, ("?", "1"))
        phone = new_phone()
        tracking, replies = await report(wa, phone, language, child=[unclear, yes])
        told, again, noted = replies[1:4]
        assert told == "\n\n".join([text("child_notice", language),
                                    text("child_question", language), emergency(language)])
        assert again == text("child_question", language) + "\n\n" + emergency(language)
        assert noted == "\n\n".join([text("child_noted", language),
                                     text("ask_description_sensitive", language),
                                     emergency(language)])
        assert [r for r in replies if not safe(r)] == [], language
        case = await case_of(db, tracking)
        assert case["child_involved"] and case["child_flagged_by"] is None, language
        assert case["acknowledge_by"] - case["child_flagged_at"] == timedelta(minutes=15)
        assert (case["referral"], case["reporter_type"]) == ("pending", "member_of_public")
        conv = await fetch_all(db, "select state, child_involved from"
                                   " public.whatsapp_conversations where phone = %s", (phone,))
        assert (conv[0]["state"], conv[0]["child_involved"]) == ("menu", None)


@pytest.mark.parametrize("language,no", [("en", "no"), ("zu", "hhayi"), ("af", "nee"),
                                         ("zu", "cha")])
async def test_no_child_files_an_ordinary_protected_report(
    wa: WhatsApp, db: AsyncConnection[Any], language: str, no: str
) -> None:
    tracking, replies = await report(wa, new_phone(), language, child=[no])
    assert replies[2] == text("ask_description_sensitive", language) + "\n\n" + emergency(
        language)
    case = await case_of(db, tracking)
    assert not case["child_involved"] and case["acknowledge_by"] is None
    assert case["referral"] is None


async def test_the_person_cannot_switch_the_referral_off(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any], api: httpx.AsyncClient
) -> None:
    phone = new_phone()
    tracking, _ = await report(wa, phone, "en", child=["yes"])
    for said in ("no", "2", "no child", "stop"):
        await wa.say(phone, said)
    case = await case_of(db, tracking)
    assert case["child_involved"] and case["referral"] == "pending"
    # Nor staff, nor the service role: the database refuses to lower the flag.
    url = f"/api/v1/tickets/{case['id']}/casework"
    lowered = await api.patch(url, json={"child_involved": False},
                              headers=wa_tenant["tenant"].auth("admin"))
    assert lowered.status_code == 409 and "child_involved" in lowered.text
    with pytest.raises(psycopg.Error, match="stays referred"):
        async with db.transaction():
            await db.execute("update public.protected_casework set child_involved = false"
                             " where ticket_id = %s", (case["id"],))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        async with db.transaction():
            await act_as(db, wa_tenant["tenant"].claims["admin"])
            await db.execute("delete from public.dsd_referrals where ticket_id = %s",
                             (case["id"],))


async def test_a_child_case_sends_nothing_to_the_reporting_number(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any], api: httpx.AsyncClient,
    standin: TwilioStandIn, worker_settings: Settings, owner: AsyncConnection[Any],
) -> None:
    """Worked from filing to resolution, referred and escalated: the outbox never holds a
    message for the reporter's number and the worker sends none."""
    phone = new_phone()
    tracking, _ = await report(wa, phone, "zu", child=["yebo"])
    case = await case_of(db, tracking)
    liaison = wa_tenant["tenant"].auth("saps_liaison")
    base = f"/api/v1/tickets/{case['id']}"
    for status in ("in_progress", "resolved"):
        moved = await api.patch(f"{base}/status", json={"status": status}, headers=liaison)
        assert moved.status_code == 200, moved.text
    for change in ({"cas_number": "CAS 7/11/2026"}, {"contact_preference": "do_not_contact"}):
        assert (await api.patch(f"{base}/casework", json=change,
                                headers=liaison)).status_code == 200
    referred = await api.patch(f"{base}/referral", headers=liaison, json={
        "abuse_nature": ["neglect"], "status": "referred"})
    assert referred.status_code == 200, referred.text
    await owner.execute("update public.protected_casework set acknowledge_by = now()"
                        " - interval '1 minute' where ticket_id = %s", (case["id"],))
    await owner.execute("select private.escalate_unacknowledged_child_cases()")
    assert await fetch_all(owner, "select 1 from public.child_case_escalations"
                                  " where ticket_id = %s", (case["id"],)) != []
    # The alerts went to staff (the liaison backs up an unassigned case, and the admin).
    alerts = await fetch_all(owner, "select o.recipient, p.role from public.notification_outbox o"
                                    " join public.profiles p on p.phone = o.recipient"
                                    " where o.variables ->> 'tracking_number' = %s", (tracking,))
    assert sorted(a["role"] for a in alerts) == ["admin", "saps_liaison"]
    await run_worker(worker_settings, CHANNEL, once=True)
    assert await fetch_all(db, "select id from public.notification_outbox where recipient = %s",
                           (phone,)) == []
    assert standin.state.sent_to(phone) == []
    # Only when the person asks: "status <reference>" answers them, as for any report.
    answer = await wa.say(phone, f"isimo {tracking}")
    assert answer == text("status_reply", "zu", tracking_number=tracking,
                          status=label("status", "resolved", "zu"))
