"""A fifth language is data only: a `languages` row and its texts in the library, added with
SQL, and a whole conversation runs in it, words and all. (Sesotho here; its texts are the
English ones marked, except the words and labels it is asked about.)"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support import texts
from tests.support.db import fetch_all
from tests.whatsapp.conftest import WhatsApp, new_phone

TRACKING = re.compile(r"T[A-Z]+-\d{4}-(?:\d{6}|P[2-9A-HJ-NP-Z]{6})")
OWN = {
    "language_choice": "Araba ka {number} bakeng sa Sesotho",
    "greeting_reply": "Dumela!",
    "cat_water": "Metsi",
    "words_yes": "e, ee, ho lokile",
    "words_no": "tjhe, che, ha ho joalo",
    "words_greeting": "dumela, dumelang, lumela",
    "words_thanks": "kea leboha, re a leboha",
    "words_done": "ke qetile, ha di teng",
    "words_category_water": "metsi, phaephe, metsi a dutla",
    "words_status": "boemo",
}


@pytest.fixture
async def sesotho(database_url: str) -> AsyncIterator[None]:
    """Sesotho offered for this test only: switched off and its texts retired after it."""
    async with await AsyncConnection.connect(database_url) as conn:
        await conn.execute("insert into public.languages (code, name, aliases, menu_order)"
                           " values ('st', 'Sesotho', '{sesotho,sotho}', 5)")
        for key, body in OWN.items():
            await conn.execute("insert into public.message_templates (template_key, language,"
                               " body, status) values (%s, 'st', %s, 'approved')", (key, body))
        await conn.execute(
            "insert into public.message_templates (template_key, language, body, status)"
            " select m.template_key, 'st', '[st] ' || m.body, 'approved'"
            "   from public.message_templates m"
            "  where m.language = 'en' and m.tenant_id is null and m.status = 'approved'"
            "    and m.template_key <> all (%s)", (list(OWN),))
        await conn.commit()
    texts.load(database_url)
    try:
        yield
    finally:
        async with await AsyncConnection.connect(database_url) as conn:
            await conn.execute("update public.languages set active = false where code = 'st'")
            await conn.execute("update public.message_templates set status = 'retired'"
                               " where language = 'st' and status = 'approved'")
            await conn.commit()
        texts.load(database_url)


async def test_a_conversation_in_a_language_added_with_sql_only(
    wa: WhatsApp, db: AsyncConnection[Any], sesotho: None
) -> None:
    phone = new_phone()
    menu = await wa.say(phone, "Dumela")
    assert menu == texts.language_menu() and menu.endswith("Araba ka 5 bakeng sa Sesotho")
    assert (await wa.say(phone, "Sesotho")).startswith("[st] ")
    assert (await wa.say(phone, "ee")).startswith("[st] ")  # the menu
    assert await wa.say(phone, "dumela") == "Dumela!\n\n" + texts.text(
        "menu", "st", **{c: texts.label("cat", c, "st") for c in (
            "water", "electricity", "roads", "waste", "sanitation", "gbv", "other")})
    assert await wa.say(phone, "metsi") == texts.text("ask_description", "st")
    await wa.say(phone, "Metsi a dutla seterateng sa rona")
    await wa.say(phone, "", Latitude="-33.5001", Longitude="18.8600")
    assert (await wa.say(phone, "tjhe")).startswith("[st] ")  # no photos: the summary
    filed = await wa.say(phone, "e")
    found = TRACKING.search(filed)
    assert found is not None and filed == texts.text("filed", "st",
                                                     tracking_number=found.group(0))
    assert await wa.say(phone, f"boemo {found.group(0)}") == texts.text(
        "status_reply", "st", tracking_number=found.group(0),
        status=texts.label("status", "open", "st"))
    rows = await fetch_all(
        db, "select t.category, t.language, p.preferred_language from public.tickets t"
            " join public.profiles p on p.id = t.reporter_id where t.tracking_number = %s",
        (found.group(0),))
    assert [(r["category"], r["language"], r["preferred_language"]) for r in rows] == [
        ("water", "st", "st")]
