"""The private (GBV) path end to end, and photos: fetched, cleaned, stored, deleted."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

from PIL import ExifTags, Image
from psycopg import AsyncConnection

from app.config import ChannelSettings, Settings
from app.crypto import FieldCipher
from app.worker import run_worker
from tests.support.db import fetch_all
from tests.support.texts import emergency, text
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

TRACKING = re.compile(r"T[A-Z]+-\d{4}-(?:\d{6}|P[2-9A-HJ-NP-Z]{6})")
FORBIDDEN = re.compile(r"gbv|police|amaphoyisa|polisie", re.IGNORECASE)
CHANNEL = ChannelSettings(send_rate_per_sender=0, backoff_base_seconds=0.0)


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "teal")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (33.0, 55.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (18.0, 25.0, 10.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


SPOTS = itertools.count()


async def file_with_photos(wa: WhatsApp, phone: str, urls: list[str], *, category: str,
                           language: str = "en", onboarded: bool = False
                           ) -> tuple[str, list[str]]:
    replies = []
    if not onboarded:
        await onboard(wa, phone, language)
    replies.append(await wa.say(phone, category))
    if category == "6":
        replies.append(await wa.say(phone, "1"))
        replies.append(await wa.say(phone, "2"))  # no child involved
    replies.append(await wa.say(phone, "Something happened at home last night, I need help"))
    # A spot of its own (about 1 km apart per phone), so no earlier report is offered as
    # a likely duplicate.
    spot = -26.2 - next(SPOTS) * 0.01
    replies.append(await wa.say(phone, "", Latitude=f"{spot:.4f}", Longitude="28.04"))
    media = {f"MediaUrl{i}": url for i, url in enumerate(urls)}
    media.update({f"MediaContentType{i}": "image/jpeg" for i in range(len(urls))})
    replies.append(await wa.say(phone, "", NumMedia=str(len(urls)), **media))
    replies.append(await wa.say(phone, "1"))
    replies.append(await wa.say(phone, "1"))
    found = TRACKING.search(replies[-1])
    assert found is not None, replies
    return found.group(0), replies


async def test_the_private_path_end_to_end(
    wa: WhatsApp, db: AsyncConnection[Any], wa_tenant: dict[str, Any], standin: TwilioStandIn,
    worker_settings: Settings, settings: Settings,
) -> None:
    phone = new_phone()
    await onboard(wa, phone, "zu")
    offer = await wa.say(phone, "6")
    assert "10111" in offer and "0800 428 428" in offer
    await wa.say(phone, "2")  # declines the referral: nothing kept, back to the menu
    conv = await fetch_all(db, "select state, category from public.whatsapp_conversations"
                               " where phone = %s", (phone,))
    assert conv[0]["state"] == "menu" and conv[0]["category"] is None

    url = standin.state.add_media(photo_with_gps(), "image/jpeg")
    tracking, replies = await file_with_photos(wa, phone, [url], category="6", language="zu",
                                               onboarded=True)
    assert replies[-1] == text("filed_sensitive", "zu", tracking_number=tracking,
                               emergency=emergency("zu"))
    assert [r for r in [offer, *replies] if FORBIDDEN.search(r)] == []

    ticket = (await fetch_all(db, "select * from public.tickets where tracking_number = %s",
                              (tracking,)))[0]
    assert ticket["is_sensitive"] and ticket["category"] == "gbv"
    assert ticket["description"] is None
    assert "Something happened" not in ticket["encrypted_description"]
    assert FieldCipher.from_settings(settings).decrypt(ticket["encrypted_description"]) == (
        "Something happened at home last night, I need help")
    assert ticket["assigned_team_id"] == wa_tenant["saps_team_id"]
    consents = await fetch_all(db, "select purpose, categories from public.consent_records"
                                   " where user_id = %s order by created_at",
                               (ticket["reporter_id"],))
    assert ("saps_referral", ["gbv"]) in [(c["purpose"], c["categories"]) for c in consents]

    # Nothing can queue a first message to the reporter, and the worker sends none.
    await db.execute("insert into public.notification_outbox (tenant_id, ticket_id, recipient,"
                     " template_key, variables) values (%s, %s, %s, 'ticket_status_changed',"
                     " '{}')", (ticket["tenant_id"], ticket["id"], phone))
    assert await fetch_all(db, "select 1 from public.notification_outbox where ticket_id = %s",
                           (ticket["id"],)) == []
    await run_worker(worker_settings, CHANNEL, once=True)
    assert standin.state.sent_to(phone) == []

    media = await fetch_all(db, "select * from public.media_attachments where ticket_id = %s",
                            (ticket["id"],))
    assert [m["bucket"] for m in media] == ["gbv-evidence"]


async def test_photos_are_stored_without_exif_and_deleted_at_twilio(
    wa: WhatsApp, db: AsyncConnection[Any], standin: TwilioStandIn, worker_settings: Settings,
) -> None:
    raw = photo_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    good = standin.state.add_media(raw, "image/jpeg")
    fake = standin.state.add_media(b"MZ\x90\x00 not a picture", "image/jpeg")
    phone = new_phone()
    tracking, _ = await file_with_photos(wa, phone, [good, fake], category="1")
    ticket = (await fetch_all(db, "select id, tenant_id from public.tickets"
                                  " where tracking_number = %s", (tracking,)))[0]

    await run_worker(worker_settings, CHANNEL, once=True)
    await run_worker(worker_settings, CHANNEL, once=True)  # a second run changes nothing

    media = await fetch_all(db, "select * from public.media_attachments where ticket_id = %s",
                            (ticket["id"],))
    assert len(media) == 1
    item = media[0]
    assert item["bucket"] == "evidence" and item["content_type"] == "image/jpeg"
    assert item["path"].startswith(f"{ticket['tenant_id']}/{ticket['id']}/")
    assert item["source"] == "whatsapp"
    fetched = await wa.client.get(
        f"/storage/v1/object/evidence/{item['path']}",
        headers={"Authorization": f"Bearer {worker_settings.supabase_service_role_key}",
                 "apikey": worker_settings.supabase_service_role_key})
    assert fetched.status_code == 200, fetched.text
    stored = fetched.content
    image = Image.open(io.BytesIO(stored))
    assert image.size == (40, 30)
    assert not image.getexif() and b"Exif" not in stored and b"PhoneMaker" not in stored
    jobs = await fetch_all(db, "select status, last_error from public.whatsapp_media_jobs"
                               " where ticket_id = %s order by media_index", (ticket["id"],))
    assert [j["status"] for j in jobs] == ["done", "failed"]
    assert "not an allowed image type" in jobs[1]["last_error"]
    assert good.rsplit("/", 1)[-1] in standin.state.deleted_media
    assert standin.state.downloads.count(good.rsplit("/", 1)[-1]) == 1
