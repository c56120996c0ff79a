"""Every text a citizen can receive (conversation replies, labels, notifications) exists in
English, isiZulu and Afrikaans, and none says what it must not."""

from __future__ import annotations

import re
import string

import pytest

from app.notify.texts import EMERGENCY, LABELS, NOTIFICATIONS
from app.vocab import LANGUAGES
from app.whatsapp.messages import MESSAGES as REPLIES

MESSAGES = {**REPLIES, **LABELS, **{f"notify_{k}": v for k, v in NOTIFICATIONS.items()}}

FORBIDDEN = re.compile(r"gbv|gender|police|polis|amaphoyisa|iphoyisa|violence|udlame|geweld",
                       re.IGNORECASE)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_every_language(key: str) -> None:
    texts = MESSAGES[key]
    missing = [lang for lang in LANGUAGES if not texts.get(lang, "").strip()]
    assert missing == [], f"{key} has no text in {missing}"
    assert {placeholders(texts[lang]) == placeholders(texts["en"]) for lang in LANGUAGES} == {True}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_no_reply_names_the_violence_or_the_police(key: str) -> None:
    for lang in LANGUAGES:
        shown = re.sub(r"\{\w+\}", "", MESSAGES[key][lang])  # placeholders are not sent
        assert not FORBIDDEN.search(shown), (key, lang)


def test_emergency_numbers_in_every_language() -> None:
    for lang in LANGUAGES:
        assert "10111" in EMERGENCY[lang] and "0800 428 428" in EMERGENCY[lang]
        assert not FORBIDDEN.search(EMERGENCY[lang])
