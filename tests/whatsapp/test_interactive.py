"""Interactive replies: the language list, Yes/No buttons and the category list go out
through the Messages API with Content API templates (ContentSid + ContentVariables), in
the person's language; a tapped button or list item answers like typing, and typing
still works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from twilio.base.exceptions import TwilioRestException

from app.config import Settings
from app.main import create_app
from app.notify.twilio import make_client
from tests.support.server import LiveServer
from tests.support.texts import label, language_menu, text
from tests.support.twilio_standin import TwilioStandIn
from tests.whatsapp.conftest import WhatsApp, new_phone


@pytest.fixture(scope="module")
def twilio_app(worker_settings: Settings) -> Iterator[LiveServer]:
    """The app, its Twilio client pointed at the stand-in."""
    server = LiveServer(create_app(worker_settings)).start()
    yield server
    server.stop()


@pytest.fixture
async def made(standin: TwilioStandIn, database_url: str) -> AsyncIterator[dict[str, str]]:
    """The interactive templates, made through the Content API by `salga whatsapp contents`;
    removed afterwards (other tests expect plain-text replies)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SUPABASE_URL": "",
           "TWILIO_API_BASE_URL": standin.base_url}
    done = subprocess.run([sys.executable, "-m", "app.cli", "whatsapp", "contents"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    count = int(done.stdout.split()[1])
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as owner:
        cur = await owner.execute("select template_key, language, content_sid"
                                  " from public.whatsapp_templates"
                                  " where template_key like 'interactive%%'")
        rows = await cur.fetchall()
        await owner.commit()
    assert count == len(rows) >= 9
    yield {f"{r['template_key']}:{r['language']}": r["content_sid"] for r in rows}
    async with await AsyncConnection.connect(database_url) as owner:
        await owner.execute("delete from public.whatsapp_templates"
                            " where template_key like 'interactive%%'")
        await owner.commit()


@pytest.fixture
async def wa2(twilio_app: LiveServer, settings: Settings, wa_tenant: dict[str, Any]
              ) -> AsyncIterator[WhatsApp]:
    async with httpx.AsyncClient(base_url=twilio_app.base_url, timeout=30) as client:
        yield WhatsApp(client, settings.twilio_auth_token, wa_tenant["number"])


def last_sent(standin: TwilioStandIn, phone: str) -> dict[str, Any]:
    return standin.state.sent_to(phone)[-1]


async def test_questions_go_as_buttons_and_lists_and_taps_answer_like_typing(
    wa2: WhatsApp, standin: TwilioStandIn, made: dict[str, str], wa_tenant: dict[str, Any],
) -> None:
    phone = new_phone()
    first = await wa2.post(wa2.form(phone, "hi"))
    assert first.status == 200 and "<Message>" not in first.raw  # answered by the API
    sent = last_sent(standin, phone)
    assert sent["From"] == f"whatsapp:{wa_tenant['number']}" and "Body" not in sent
    assert sent["ContentSid"] == made["interactive_language:en"]
    assert json.loads(sent["ContentVariables"]) == {"1": language_menu()}
    picker = standin.state.contents[sent["ContentSid"]]["types"]["twilio/list-picker"]
    assert [i["id"] for i in picker["items"]][:3] == ["english", "isizulu", "afrikaans"]

    # The person taps "isiZulu" in the list: Twilio posts the item's id as ListId.
    await wa2.post(wa2.form(phone, "isiZulu", ListId="isizulu", ListTitle="isiZulu"))
    sent = last_sent(standin, phone)
    assert sent["ContentSid"] == made["interactive_yes_no:zu"]
    buttons = standin.state.contents[sent["ContentSid"]]["types"]["twilio/quick-reply"]
    assert [(a["id"], a["title"]) for a in buttons["actions"]] == [
        ("1", label("button", "yes", "zu")), ("2", label("button", "no", "zu"))]

    # Taps "Yebo" (ButtonPayload 1): the category list, in isiZulu.
    tap = wa2.form(phone, "Yebo", ButtonPayload="1", ButtonText="Yebo")
    await wa2.post(tap)
    sent = last_sent(standin, phone)
    assert sent["ContentSid"] == made["interactive_categories:zu"]
    assert json.loads(sent["ContentVariables"])["1"].endswith(
        text("menu", "zu", **{c: label("cat", c, "zu") for c in
                              ("water", "electricity", "roads", "waste", "sanitation", "gbv",
                               "other")}))
    items = standin.state.contents[sent["ContentSid"]]["types"]["twilio/list-picker"]["items"]
    assert [i["id"] for i in items] == ["1", "2", "3", "4", "5", "6", "7"]
    assert items[0]["item"] == label("cat", "water", "zu")

    # Twilio retries the tap: no second message, and an empty answer.
    before = len(standin.state.sent_to(phone))
    retried = await wa2.post(tap)
    assert "<Message>" not in retried.raw and len(standin.state.sent_to(phone)) == before

    # Typing still works, and a reply that asks nothing goes back as plain text.
    assert await wa2.say(phone, "1") == text("ask_description", "zu")
    assert len(standin.state.sent_to(phone)) == before


async def test_the_stand_in_holds_twilio_to_the_request_shape(
    worker_settings: Settings, standin: TwilioStandIn, made: dict[str, str],
    wa_tenant: dict[str, Any],
) -> None:
    client = make_client(worker_settings)
    with pytest.raises(TwilioRestException) as wrong:
        client.messages.create(to="whatsapp:+27830000001", from_=f"whatsapp:{wa_tenant['number']}",
                               content_sid=made["interactive_yes_no:en"],
                               content_variables=json.dumps({"2": "x"}))
    assert wrong.value.status == 400


async def test_without_templates_or_twilio_replies_stay_plain_text(
    wa2: WhatsApp, standin: TwilioStandIn,
) -> None:
    phone = new_phone()
    assert await wa2.say(phone, "hi") == language_menu()
    assert standin.state.sent_to(phone) == []


async def test_a_reply_too_long_for_buttons_goes_as_text(
    wa2: WhatsApp, standin: TwilioStandIn, made: dict[str, str],
) -> None:
    phone = new_phone()
    for answer in ("hi", "english", "1", "1"):  # language, consent, water: all as buttons
        await wa2.post(wa2.form(phone, answer))
    sent = len(standin.state.sent_to(phone))
    long_story = "The main pipe has burst and the water runs down the whole street. " * 17
    await wa2.say(phone, long_story)
    await wa2.say(phone, "", Latitude="-33.5012", Longitude="18.7012")
    confirm = await wa2.say(phone, "1")  # over WhatsApp's 1024 characters: plain text
    assert len(confirm) > 1024 and long_story.strip() in confirm
    assert len(standin.state.sent_to(phone)) == sent
