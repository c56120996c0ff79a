"""Voice notes, videos and documents: kept as evidence through the one media pipeline,
never counted as photos; files over WhatsApp's limits are refused politely."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

from PIL import Image
from psycopg import AsyncConnection

from app.config import ChannelSettings, Settings
from app.worker import run_worker
from tests.support.db import fetch_all
from tests.support.texts import label, text
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

TRACKING = re.compile(r"T[A-Z]+-\d{4}-\d{6}")
CHANNEL = ChannelSettings(send_rate_per_sender=0, backoff_base_seconds=0.0)
VOICE_NOTE = b"OggS\x00\x02" + bytes(300)
VIDEO = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(300)
SPOTS = itertools.count()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "orange").save(out, "JPEG")
    return out.getvalue()


def media(url: str, content_type: str) -> dict[str, str]:
    return {"NumMedia": "1", "MediaUrl0": url, "MediaContentType0": content_type}


async def start_report(wa: WhatsApp, phone: str) -> None:
    await onboard(wa, phone)
    await wa.say(phone, "1")


async def pin(wa: WhatsApp, phone: str) -> str:
    spot = -29.6 - next(SPOTS) * 0.01
    return await wa.say(phone, "", Latitude=f"{spot:.4f}", Longitude="30.38")


async def file_it(wa: WhatsApp, phone: str) -> str:
    confirm = await wa.say(phone, "1")
    filed = await wa.say(phone, "1")
    found = TRACKING.search(filed)
    assert found is not None, (confirm, filed)
    return found.group(0)


async def test_a_voice_note_and_a_video_are_kept_and_only_images_count_as_photos(
    wa: WhatsApp, db: AsyncConnection[Any], standin: TwilioStandIn, worker_settings: Settings,
) -> None:
    phone = new_phone()
    await start_report(wa, phone)
    voice = standin.state.add_media(VOICE_NOTE, "audio/ogg")
    reply = await wa.say(phone, "", **media(voice, "audio/ogg"))
    assert reply == text("media_kept_ask_description", "en")
    assert text("description_too_short", "en") not in reply
    await wa.say(phone, "Burst pipe on the corner, water everywhere since Monday")
    assert await pin(wa, phone) == text("ask_photos", "en", max=5)
    video = standin.state.add_media(VIDEO, "video/mp4")
    assert await wa.say(phone, "", **media(video, "video/mp4")) == text("media_kept", "en")
    photo = standin.state.add_media(jpeg(), "image/jpeg")
    assert await wa.say(phone, "", **media(photo, "image/jpeg")) == text(
        "photo_received", "en", count=1)
    contact = standin.state.add_media(b"BEGIN:VCARD", "text/vcard")
    assert await wa.say(phone, "", **media(contact, "text/vcard")) == text(
        "media_not_accepted", "en")
    confirm = await wa.say(phone, "1")
    assert confirm == text("confirm", "en", category=label("cat", "water", "en"),
                           description="Burst pipe on the corner, water everywhere since Monday",
                           place=text("location_pin", "en"), photos=1)
    filed = await wa.say(phone, "1")
    tracking = TRACKING.search(filed)
    assert tracking is not None, filed

    await run_worker(worker_settings, CHANNEL, once=True)
    stored = await fetch_all(
        db, "select m.content_type, m.bucket from public.media_attachments m"
            " join public.tickets t on t.id = m.ticket_id where t.tracking_number = %s"
            " order by m.content_type", (tracking.group(0),))
    assert [(m["content_type"], m["bucket"]) for m in stored] == [
        ("audio/ogg", "evidence"), ("image/jpeg", "evidence"), ("video/mp4", "evidence")]
    jobs = await fetch_all(
        db, "select j.media_kind, j.status from public.whatsapp_media_jobs j"
            " join public.tickets t on t.id = j.ticket_id where t.tracking_number = %s"
            " order by j.media_kind", (tracking.group(0),))
    assert [(j["media_kind"], j["status"]) for j in jobs] == [
        ("audio", "done"), ("image", "done"), ("video", "done")]


async def test_a_file_over_whatsapps_limit_is_refused_politely(
    wa: WhatsApp, db: AsyncConnection[Any], standin: TwilioStandIn, worker_settings: Settings,
) -> None:
    phone = new_phone()
    await start_report(wa, phone)
    await wa.say(phone, "Transformer sparking at the taxi rank since last night")
    await pin(wa, phone)
    too_big = standin.state.add_media(VIDEO + bytes(16 * 1024 * 1024), "video/mp4")
    assert await wa.say(phone, "", **media(too_big, "video/mp4")) == text("media_kept", "en")
    # A voice note disguised as a video is not stored either (the bytes decide).
    disguised = standin.state.add_media(VOICE_NOTE, "video/mp4")
    await wa.say(phone, "", NumMedia="1", MediaUrl0=disguised, MediaContentType0="video/mp4")
    tracking = await file_it(wa, phone)

    await run_worker(worker_settings, CHANNEL, once=True)
    await run_worker(worker_settings, CHANNEL, once=True)
    jobs = await fetch_all(
        db, "select j.status, j.last_error from public.whatsapp_media_jobs j"
            " join public.tickets t on t.id = j.ticket_id where t.tracking_number = %s"
            " order by j.id", (tracking,))
    assert [j["status"] for j in jobs] == ["failed", "failed"]
    assert "larger than WhatsApp allows" in jobs[0]["last_error"]
    assert "not an allowed video type" in jobs[1]["last_error"]
    assert await fetch_all(db, "select 1 from public.media_attachments m join public.tickets t"
                               " on t.id = m.ticket_id where t.tracking_number = %s",
                           (tracking,)) == []
    told = [m["Body"] for m in standin.state.sent_to(phone)
            if m.get("Body") == text("media_too_large", "en", tracking_number=tracking,
                                     limit_mb=16)]
    assert len(told) == 1
