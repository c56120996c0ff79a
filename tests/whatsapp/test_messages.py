"""Every text a citizen can receive (conversation replies, labels, notifications, the privacy
notice) exists in the library in every language offered (English, isiZulu, Afrikaans and
isiXhosa), and none says what it must not."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.db import fetch_all

FORBIDDEN = re.compile(r"gbv|gender|police|polis|amaphoyisa|iphoyisa|violence|udlame|geweld"
                       r"|ndlobongela|ubundlobongela", re.IGNORECASE)
# The languages the platform is seeded with; test_the_languages_offered checks the table.
LANGUAGES = ("en", "zu", "af", "xh")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


async def approved_defaults(db: AsyncConnection[Any]) -> dict[str, dict[str, str]]:
    rows = await fetch_all(db, "select template_key, language, body from public.message_templates"
                               " where tenant_id is null and status = 'approved'")
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        found.setdefault(row["template_key"], {})[row["language"]] = row["body"]
    return found


async def test_the_languages_offered(db: AsyncConnection[Any]) -> None:
    rows = await fetch_all(db, "select code, name from public.languages where active"
                               " order by menu_order")
    assert [(r["code"], r["name"]) for r in rows] == [
        ("en", "English"), ("zu", "isiZulu"), ("af", "Afrikaans"), ("xh", "isiXhosa")]


async def test_every_message_exists_in_every_language(db: AsyncConnection[Any]) -> None:
    library = await approved_defaults(db)
    keys = {r["template_key"] for r in await fetch_all(
        db, "select template_key from public.message_template_keys")}
    assert set(library) == keys and len(keys) > 40
    for key, texts in library.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang, "").strip()]
        assert missing == [], f"{key} has no text in {missing}"
        assert {placeholders(texts[lang]) == placeholders(texts["en"])
                for lang in LANGUAGES} == {True}, key


async def test_no_text_names_the_violence_or_the_police(db: AsyncConnection[Any]) -> None:
    for key, texts in (await approved_defaults(db)).items():
        for lang in LANGUAGES:
            shown = re.sub(r"\{\w+\}", "", texts[lang])  # placeholders are not sent
            assert not FORBIDDEN.search(shown), (key, lang)


async def test_emergency_numbers_in_every_language(db: AsyncConnection[Any]) -> None:
    emergency = (await approved_defaults(db))["emergency"]
    for lang in LANGUAGES:
        assert "10111" in emergency[lang] and "0800 428 428" in emergency[lang]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_privacy_notice_says_what_section_18_asks(
    db: AsyncConnection[Any], language: str
) -> None:
    notice = (await approved_defaults(db))["privacy_notice"][language]
    for must in ("{municipality}", "{contact}", "POPIA", "Twilio", "Meta", "30",
                 "inforegulator.org.za", "(s72)" if language != "af" else "(a72)"):
        assert must in notice, (language, must)
