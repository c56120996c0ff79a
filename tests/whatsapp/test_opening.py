"""Whole conversations as people write them, in all four languages, through the real
webhook: greetings, thanks, words instead of numbers, "hhayi"/"cha"/"nee", a first
message that already says what is wrong, and short re-prompts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import channel_settings
from app.whatsapp import repository as repo
from tests.support.db import fetch_all
from tests.support.texts import emergency, label, language_menu, text
from tests.whatsapp.conftest import WhatsApp, new_phone, onboard

TRACKING = re.compile(r"T[A-Z]+-\d{4}-(?:\d{6}|P[2-9A-HJ-NP-Z]{6})")
MAX = channel_settings().max_photos


@pytest.fixture(scope="module")
async def town(wa_tenant: dict[str, Any], database_url: str) -> str:
    async with await AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute("select name from public.municipalities where id = %s",
                                 (wa_tenant["id"],))
        row = await cur.fetchone()
    assert row is not None
    return str(row[0])


def notice(language: str, town: str) -> str:
    return text("consent_notice", language, municipality=town, version="1")


async def ticket(db: AsyncConnection[Any], reply: str) -> dict[str, Any]:
    found = TRACKING.search(reply)
    assert found is not None, reply
    rows = await fetch_all(
        db, "select t.category, t.description, t.language, p.preferred_language"
            " from public.tickets t join public.profiles p on p.id = t.reporter_id"
            " where t.tracking_number = %s", (found.group(0),))
    return {**rows[0], "tracking_number": found.group(0)}


async def replay(wa: WhatsApp, phone: str, steps: list[tuple[str, str]], *,
                 latitude: str) -> list[str]:
    """Send each message (`PIN` shares a location) and check each reply starts as expected;
    no reply ever apologises for not understanding."""
    replies = []
    for said, expected in steps:
        if said == "PIN":
            reply = await wa.say(phone, "", Latitude=latitude, Longitude="18.8600",
                                 Address="Church Street")
        else:
            reply = await wa.say(phone, said)
        assert reply.startswith(expected), (said, reply)
        assert "understand" not in reply and "angikuqondanga" not in reply, (said, reply)
        replies.append(reply)
    return replies


async def test_english_a_first_message_that_says_what_is_wrong(
    wa: WhatsApp, db: AsyncConnection[Any], town: str
) -> None:
    phone, first = new_phone(), "Hi, there is a burst pipe on Main Road since this morning"
    replies = await replay(wa, phone, [
        (first, language_menu()),
        ("English", notice("en", town)),
        ("Yes please", text("category_guess", "en", category=label("cat", "water", "en"))),
        ("yep", text("description_kept", "en", description=first) + "\n\n"
         + text("ask_location", "en")),
        ("PIN", text("ask_photos", "en", max=MAX)),
        ("no", text("confirm", "en", category=label("cat", "water", "en"), description=first,
                    place="Church Street", photos=0)),
        ("yes", "Thank you."),
        ("Thanks!", text("thanks_reply", "en")),
    ], latitude="-33.6001")
    filed = await ticket(db, replies[-2])
    assert (filed["category"], filed["description"]) == ("water", first)
    assert replies[-2] == text("filed", "en", tracking_number=filed["tracking_number"])


async def test_isizulu_words_instead_of_numbers(
    wa: WhatsApp, db: AsyncConnection[Any], town: str
) -> None:
    phone, said = new_phone(), "Amanzi ayavuza emgwaqweni kusukela izolo"
    replies = await replay(wa, phone, [
        ("Sawubona", language_menu()),
        ("isiZulu", notice("zu", town)),
        ("Yebo!", text("menu", "zu", **{c: label("cat", c, "zu") for c in (
            "water", "electricity", "roads", "waste", "sanitation", "gbv", "other")})),
        ("amanzi", text("ask_description", "zu")),
        (said, text("ask_location", "zu")),
        ("PIN", text("ask_photos", "zu", max=MAX)),
        ("cha", "Sicela uhlole"),
        ("yebo", "Siyabonga."),
        ("ngiyabonga kakhulu", text("thanks_reply", "zu")),
    ], latitude="-33.6201")
    filed = await ticket(db, replies[-2])
    assert (filed["category"], filed["description"], filed["language"]) == ("water", said, "zu")


async def test_afrikaans_words_instead_of_numbers(
    wa: WhatsApp, db: AsyncConnection[Any], town: str
) -> None:
    phone, said = new_phone(), "Geen krag in die hele straat sedert gister"
    replies = await replay(wa, phone, [
        ("Goeie more", language_menu()),
        ("afrikaans", notice("af", town)),
        ("ja", "Waaroor wil jy"),
        ("hallo", text("greeting_reply", "af") + "\n\nWaaroor wil jy"),
        ("Krag", text("ask_description", "af")),
        (said, text("ask_location", "af")),
        ("PIN", text("ask_photos", "af", max=MAX)),
        ("Nee", "Gaan asseblief"),
        ("Ja", "Dankie."),
        ("baie dankie", text("thanks_reply", "af")),
    ], latitude="-33.6401")
    filed = await ticket(db, replies[-2])
    assert (filed["category"], filed["description"]) == ("electricity", said)
    assert filed["preferred_language"] == "af"


async def test_isixhosa_from_molo_to_reference(
    wa: WhatsApp, db: AsyncConnection[Any], town: str
) -> None:
    phone, first = new_phone(), "Molo, amanzi ayavuza apha esitratweni sethu"
    replies = await replay(wa, phone, [
        (first, language_menu()),
        ("isiXhosa", notice("xh", town)),
        ("Ewe", text("category_guess", "xh", category=label("cat", "water", "xh"))),
        ("ewe", text("description_kept", "xh", description=first)),
        ("PIN", text("ask_photos", "xh", max=MAX)),
        ("hayi", "Nceda ujonge ingxelo yakho"),
        ("ewe", "Enkosi."),
        ("enkosi kakhulu", text("thanks_reply", "xh")),
    ], latitude="-33.6601")
    filed = await ticket(db, replies[-2])
    assert (filed["category"], filed["description"]) == ("water", first)
    assert (filed["language"], filed["preferred_language"]) == ("xh", "xh")
    assert await wa.say(phone, f"imeko {filed['tracking_number']}") == text(
        "status_reply", "xh", tracking_number=filed["tracking_number"],
        status=label("status", "open", "xh"))
    assert emergency("xh") in await wa.say(phone, "uncedo")


async def test_a_guessed_category_can_be_refused(
    wa: WhatsApp, db: AsyncConnection[Any], town: str
) -> None:
    phone, first = new_phone(), "The streetlight outside number 12 is broken since Friday"
    replies = await replay(wa, phone, [
        (first, language_menu()),
        ("1", notice("en", town)),
        ("ok", text("category_guess", "en", category=label("cat", "electricity", "en"))),
        ("hello?", text("greeting_reply", "en") + "\n\n" + text(
            "category_guess", "en", category=label("cat", "electricity", "en"))),
        ("no", "What would you like to report?"),
        ("3", text("description_kept", "en", description=first)),
        ("PIN", text("ask_photos", "en", max=MAX)),
        ("done", "Please check your report"),
        ("1", "Thank you."),
    ], latitude="-33.6801")
    filed = await ticket(db, replies[-1])
    assert (filed["category"], filed["description"]) == ("roads", first)


@pytest.mark.parametrize(("language", "no"), [("zu", "hhayi"), ("xh", "Hayi."),
                                               ("af", "nee"), ("en", "No")])
async def test_no_at_consent_keeps_nothing(
    wa: WhatsApp, db: AsyncConnection[Any], town: str, language: str, no: str
) -> None:
    phone = new_phone()
    await wa.say(phone, "There is no water in our whole street")
    await wa.say(phone, {"en": "1", "zu": "2", "af": "3", "xh": "4"}[language])
    assert await wa.say(phone, no) == text("consent_declined", language)
    assert await fetch_all(db, "select 1 from public.whatsapp_conversations where phone = %s",
                           (phone,)) == []
    assert await fetch_all(db, "select 1 from public.profiles where phone = %s", (phone,)) == []


async def test_unclear_answers_get_the_question_again_short(wa: WhatsApp, town: str) -> None:
    phone = new_phone()
    assert await wa.say(phone, "??!!") == language_menu()
    await wa.say(phone, "4")
    assert await wa.say(phone, "andazi") == text("reprompt_consent", "xh")
    assert await wa.say(phone, "molo") == (text("greeting_reply", "xh") + "\n\n"
                                          + text("reprompt_consent", "xh"))
    await wa.say(phone, "ewe")
    menu_again = await wa.say(phone, "andazi")
    assert menu_again == text("reprompt_menu", "xh") and len(menu_again) < 160
    assert await wa.say(phone, "6") == text(
        "sensitive_consent", "xh", municipality=town, emergency=emergency("xh"))
    assert await wa.say(phone, "andazi") == (text("reprompt_sensitive_consent", "xh") + "\n\n"
                                             + emergency("xh"))
    assert await wa.say(phone, "hayi") == text("sensitive_declined", "xh") + "\n\n" + text(
        "menu", "xh", **{c: label("cat", c, "xh") for c in (
            "water", "electricity", "roads", "waste", "sanitation", "gbv", "other")}
    ) + "\n\n" + emergency("xh")  # declining still leaves the emergency numbers
    await wa.say(phone, "inkunkuma")
    await wa.say(phone, "Inkunkuma ayiqokelelwanga iiveki ezimbini")
    await wa.say(phone, "Ndlovu Street 14")
    await wa.say(phone, "ndigqibile")
    assert await wa.say(phone, "mhlawumbi") == text("reprompt_confirm", "xh")


async def test_a_likely_duplicate_answered_in_words(wa: WhatsApp, db: AsyncConnection[Any]) -> None:
    first, second = new_phone(), new_phone()
    for phone in (first, second):
        await onboard(wa, phone, "zu")
        await wa.say(phone, "udoti")
        await wa.say(phone, "Udoti awuqoqwanga emasontweni amabili")
        await wa.say(phone, "", Latitude="-33.5801", Longitude="18.8600")
        await wa.say(phone, "ngiqedile")
    filed = await ticket(db, await wa.say(first, "yebo"))
    offer = await wa.say(second, "Yebo")
    assert offer == text("duplicate_offer", "zu", tracking_number=filed["tracking_number"])
    assert await wa.say(second, "angazi") == text(
        "reprompt_duplicate", "zu", tracking_number=filed["tracking_number"])
    assert await wa.say(second, "yebo") == text(
        "following", "zu", tracking_number=filed["tracking_number"])


async def test_a_kept_first_message_expires_like_a_draft(
    wa: WhatsApp, database_url: str, town: str
) -> None:
    phone = new_phone()
    await wa.say(phone, "Burst pipe flooding the road since this morning")
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as owner:
        await owner.execute("update public.whatsapp_conversations set expires_at ="
                            " now() - interval '1 minute' where phone = %s", (phone,))
        await repo.expire_conversations(owner)
        await owner.commit()
        cur = await owner.execute(
            "select state, category, encrypted_draft_description from"
            " public.whatsapp_conversations where phone = %s", (phone,))
        assert await cur.fetchone() == {"state": "language", "category": None,
                                        "encrypted_draft_description": None}
    await wa.say(phone, "1")
    assert (await wa.say(phone, "yes")).startswith("What would you like to report?")


async def test_a_sentence_at_the_menu_is_kept_and_expires_like_a_draft(
    wa: WhatsApp, db: AsyncConnection[Any]
) -> None:
    phone, said = new_phone(), "The bins in our lane have not been collected for two weeks"
    await onboard(wa, phone)
    assert await wa.say(phone, said) == text("category_guess", "en",
                                             category=label("cat", "waste", "en"))
    [conv] = await fetch_all(db, "select state, category, encrypted_draft_description,"
                                 " expires_at from public.whatsapp_conversations"
                                 " where phone = %s", (phone,))
    assert (conv["state"], conv["category"]) == ("menu", "waste")
    assert conv["encrypted_draft_description"] and said not in conv[
        "encrypted_draft_description"] and conv["expires_at"] is not None
    assert await wa.say(phone, "Yes") == (text("description_kept", "en", description=said)
                                          + "\n\n" + text("ask_location", "en"))
