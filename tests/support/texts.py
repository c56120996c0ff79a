"""The texts citizens receive, as the platform's approved defaults in the database.

Tests compare replies with these (loaded once per session from the test
database by the `message_library` fixture), never with copies in Python.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

APPROVED: dict[tuple[str, str], str] = {}
# The languages offered when the session began, in menu order.
LANGUAGES: list[str] = []


def load(url: str) -> None:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        rows = conn.execute(
            "select template_key, language, body from public.message_templates"
            " where tenant_id is null and status = 'approved'").fetchall()
        languages = conn.execute(
            "select code from public.languages where active order by menu_order").fetchall()
    APPROVED.clear()
    APPROVED.update({(r["template_key"], r["language"]): r["body"] for r in rows})
    LANGUAGES[:] = [r["code"] for r in languages]


def text(key: str, language: str | None, **values: Any) -> str:
    body = APPROVED.get((key, language or "en")) or APPROVED[(key, "en")]
    return body.format(**values) if values else body


def label(prefix: str, value: str, language: str | None) -> str:
    key = f"{prefix}_{value}"
    return text(key, language) if (key, "en") in APPROVED else value


def emergency(language: str | None) -> str:
    return text("emergency", language)


def language_menu() -> str:
    """The language menu: the welcome, then each language offering itself in its own words."""
    lines = [text("language_choice", code, number=n) for n, code in enumerate(LANGUAGES, 1)]
    return text("choose_language", "en", languages="\n".join(lines))
