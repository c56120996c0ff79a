""""It is not fixed": within 14 days of a resolution the report reopens (the words kept as
the reason, sealed under the person's key; the team told); later a new report is filed,
linked to the old one."""

from __future__ import annotations

import re
from typing import Any

import httpx
from psycopg import AsyncConnection

from app.config import Settings
from app.worker import run_worker
from tests.support.db import fetch_all
from tests.support.texts import emergency, label, text
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard
from tests.whatsapp.test_evidence import (
    CHANNEL,
    VOICE_NOTE,
    file_it,
    media,
    pin,
    start_report,
)

PROTECTED = re.compile(r"T[A-Z]+-\d{4}-P[2-9A-HJ-NP-Z]{6}")


async def resolved_report(wa: WhatsApp, database_url: str, phone: str, *, days_ago: int = 0
                          ) -> dict[str, Any]:
    """A report filed over WhatsApp, worked and resolved `days_ago` days ago."""
    await start_report(wa, phone)
    await wa.say(phone, "Water pipe burst outside number 4, flooding the street")
    await pin(wa, phone)
    tracking = await file_it(wa, phone)
    async with await AsyncConnection.connect(database_url) as owner:
        for status in ("in_progress", "resolved"):
            await owner.execute("update public.tickets set status = %s"
                                " where tracking_number = %s", (status, tracking))
        await owner.execute("update public.tickets set resolved_at = now() - make_interval("
                            "days => %s) where tracking_number = %s", (days_ago, tracking))
        cur = await owner.execute("select id, assigned_team_id, category from public.tickets"
                                  " where tracking_number = %s", (tracking,))
        row = await cur.fetchone()
        await owner.commit()
    assert row is not None
    return {"tracking": tracking, "id": row[0], "team": row[1], "category": row[2]}


async def test_not_fixed_within_14_days_reopens_once_and_tells_the_team(
    wa: WhatsApp, db: AsyncConnection[Any], database_url: str, wa_tenant: dict[str, Any],
    api: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    old = await resolved_report(wa, database_url, phone, days_ago=3)
    form = wa.form(phone, "It is NOT fixed, still leaking!")
    reply = (await wa.post(form)).text
    assert reply == text("reopened", "en", tracking_number=old["tracking"])
    again = await wa.post(form)  # Twilio retries the same message: nothing more happens
    assert again.text == reply
    ticket = (await fetch_all(db, "select status, resolved_at from public.tickets"
                                  " where id = %s", (old["id"],)))[0]
    assert ticket["status"] == "in_progress" and ticket["resolved_at"] is None
    reasons = await fetch_all(
        db, "select reason, new_values ->> 'status' as status from public.audit_log"
            " where table_name = 'tickets' and record_id = %s and reason like 'Reopened%%'",
        (str(old["id"]),))
    assert [r["status"] for r in reasons] == ["in_progress"]
    # In the append-only audit the words are sealed; the team reads them in the history.
    assert "leaking" not in reasons[0]["reason"] and ": pii:" in reasons[0]["reason"]
    manager = wa_tenant["tenant"].auth("manager")
    history = (await api.get(f"/api/v1/tickets/{old['id']}/history", headers=manager)).json()
    said = [i["details"]["reason"] for i in history["items"]
            if i["details"].get("to") == "in_progress" and i["details"].get("reason")]
    assert said and said[-1].endswith('"It is NOT fixed, still leaking!"'), said
    events = await fetch_all(db, "select topic, payload from realtime.messages"
                                 " where event = 'ticket_reopened' and payload ->> 'id' = %s",
                             (str(old["id"]),))
    assert events and not any("leaking" in str(e["payload"]) for e in events)
    topics = {e["topic"] for e in events}
    assert f"municipality:{wa_tenant['id']}" in topics
    if old["team"] is not None:
        assert f"team:{old['team']}" in topics
    # Saying it again while the team works on it changes nothing.
    still = await wa.say(phone, "still not fixed")
    assert still == text("reopen_still_open", "en", tracking_number=old["tracking"],
                         status=label("status", "in_progress", "en"))
    # Once the person is erased (their key destroyed), the history keeps only that
    # they spoke.
    await db.execute("delete from private.personal_keys where user_id ="
                     " (select reporter_id from public.tickets where id = %s)", (old["id"],))
    opened = await fetch_all(db, "select private.open_reason(reason) as reason"
                                 " from public.audit_log where table_name = 'tickets'"
                                 " and record_id = %s and reason like 'Reopened%%'",
                             (str(old["id"]),))
    assert opened[0]["reason"].endswith(": [erased]")


async def test_not_fixed_after_14_days_files_a_linked_report_in_any_language(
    wa: WhatsApp, db: AsyncConnection[Any], database_url: str,
) -> None:
    phone = new_phone()
    old = await resolved_report(wa, database_url, phone, days_ago=15)
    reply = await wa.say(phone, "Akulungisiwe, amanzi ayaqhubeka ephuma")
    new = await fetch_all(db, "select tracking_number, category, follows_up, description,"
                              " status from public.tickets where follows_up = %s", (old["id"],))
    assert len(new) == 1
    assert reply == text("reopen_new_report", "en", previous=old["tracking"],
                         tracking_number=new[0]["tracking_number"])
    assert new[0]["category"] == old["category"] and new[0]["status"] == "open"
    assert new[0]["description"] == "Akulungisiwe, amanzi ayaqhubeka ephuma"
    kept = await fetch_all(db, "select status from public.tickets where id = %s", (old["id"],))
    assert kept[0]["status"] == "resolved"


async def test_not_fixed_in_afrikaans_and_nobody_elses_report(
    wa: WhatsApp, db: AsyncConnection[Any], database_url: str,
) -> None:
    phone = new_phone()
    old = await resolved_report(wa, database_url, phone, days_ago=1)
    assert await wa.say(phone, "Dit is nog nie reg nie!") == text(
        "reopened", "en", tracking_number=old["tracking"])
    other = new_phone()
    await onboard(wa, other)
    reply = await wa.say(other, "still not fixed")  # no report of theirs: the menu answers
    assert "not fixed" not in reply.lower() and old["tracking"] not in reply
    states = await fetch_all(db, "select state from public.whatsapp_conversations"
                                 " where phone = %s", (other,))
    assert states[0]["state"] == "menu"


async def test_a_protected_report_is_never_reopened_nor_revealed(
    wa: WhatsApp, db: AsyncConnection[Any], database_url: str, standin: TwilioStandIn,
    worker_settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    await wa.say(phone, "6")
    await wa.say(phone, "1")
    await wa.say(phone, "2")  # no child involved
    voice = standin.state.add_media(VOICE_NOTE, "audio/ogg")
    # A voice note in the private path: kept (as protected evidence), words asked for.
    assert await wa.say(phone, "", **media(voice, "audio/ogg")) == text(
        "media_kept_ask_description", "en") + "\n\n" + emergency("en")
    await wa.say(phone, "He hurts me when he drinks, I need help")
    await wa.say(phone, "skip")
    await wa.say(phone, "1")
    filed = await wa.say(phone, "1")
    found = PROTECTED.search(filed)
    assert found is not None, filed
    await run_worker(worker_settings, CHANNEL, once=True)
    stored = await fetch_all(db, "select m.bucket, m.content_type from public.media_attachments m"
                                 " join public.tickets t on t.id = m.ticket_id"
                                 " where t.tracking_number = %s", (found.group(0),))
    assert [(m["bucket"], m["content_type"]) for m in stored] == [("gbv-evidence", "audio/ogg")]
    async with await AsyncConnection.connect(database_url) as owner:
        for status in ("in_progress", "resolved"):
            await owner.execute("update public.tickets set status = %s"
                                " where tracking_number = %s", (status, found.group(0)))
        await owner.commit()

    reply = await wa.say(phone, "It is not fixed")
    assert found.group(0) not in reply and "not fixed" not in reply.lower()
    kept = await fetch_all(db, "select status from public.tickets where tracking_number = %s",
                           (found.group(0),))
    assert kept[0]["status"] == "resolved"
