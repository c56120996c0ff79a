"""The webhook's edges: signatures, retries, malformed and oversized input."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.db import fetch_all
from tests.support.texts import language_menu, text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard


async def inbound_rows(db: AsyncConnection[Any], sid: str) -> list[Any]:
    return await fetch_all(db, "select * from public.whatsapp_inbound_messages"
                               " where message_sid = %s", (sid,))


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None])
async def test_unsigned_or_forged_requests_are_403_and_leave_no_trace(
    wa: WhatsApp, db: AsyncConnection[Any], signature: str | None
) -> None:
    form = wa.form(new_phone(), "hi")
    if signature is None:  # signed for a different body
        signature = wa.validator.compute_signature("http://127.0.0.1:8000/webhooks/twilio/"
                                                   "whatsapp", {**form, "Body": "other"})
    reply = await wa.post(form, signature=signature)
    assert reply.status == 403
    assert await inbound_rows(db, form["MessageSid"]) == []


async def test_a_request_signed_for_another_url_is_refused(wa: WhatsApp) -> None:
    form = wa.form(new_phone(), "hi")
    signature = wa.validator.compute_signature("https://evil.example/webhooks/twilio/whatsapp",
                                               form)
    assert (await wa.post(form, signature=signature)).status == 403


async def test_a_retried_delivery_gets_the_same_reply_and_changes_nothing(
    wa: WhatsApp, db: AsyncConnection[Any]
) -> None:
    phone = new_phone()
    await onboard(wa, phone)
    form = wa.form(phone, "1")
    first = await wa.post(form)
    conv_before = await fetch_all(db, "select state, updated_at from"
                                      " public.whatsapp_conversations where phone = %s", (phone,))
    second = await wa.post(form)
    conv_after = await fetch_all(db, "select state, updated_at from"
                                     " public.whatsapp_conversations where phone = %s", (phone,))
    assert first.status == second.status == 200
    assert first.raw == second.raw and first.text == text("ask_description", "en")
    assert conv_before == conv_after


@pytest.mark.parametrize(("change", "status"), [
    ({"MessageSid": ""}, 400),
    ({"MessageSid": "SM<script>"}, 400),
    ({"From": "whatsapp:not-a-number"}, 400),
    ({"From": ""}, 400),
    ({"Latitude": "north"}, 400),
    ({"Latitude": "95", "Longitude": "18"}, 400),
    ({"Latitude": "-33.9"}, 400),
    ({"NumMedia": "many"}, 400),
    ({"NumMedia": "2", "MediaUrl0": "ftp://x"}, 400),
    ({"Body": "x" * 5000}, 400),
    ({"To": "whatsapp:+27219999999"}, 404),
])
async def test_malformed_messages_get_a_clear_4xx(
    wa: WhatsApp, change: dict[str, str], status: int
) -> None:
    form = {**wa.form(new_phone(), "hi"), **change}
    reply = await wa.post(form)
    assert reply.status == status, reply.raw


async def test_an_oversized_body_is_413(wa: WhatsApp) -> None:
    form = wa.form(new_phone(), "y" * 70_000)
    assert (await wa.post(form)).status == 413


async def test_a_body_that_is_not_a_form_is_400_or_403(wa: WhatsApp) -> None:
    response = await wa.client.post("/webhooks/twilio/whatsapp", content=b"\xff\xfe\x00",
                                    headers={"X-Twilio-Signature": "x",
                                             "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code in (400, 403)


async def test_unknown_extra_fields_are_tolerated(wa: WhatsApp) -> None:
    form = wa.form(new_phone(), "hi", ReferralNumMedia="0", ButtonText="", NewField="x")
    reply = await wa.post(form)
    assert reply.status == 200 and reply.text == language_menu()
