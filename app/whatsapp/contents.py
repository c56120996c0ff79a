"""The Content API templates behind interactive replies, made from the message library.

For each language with a `language_name` text: a list of the languages (each
item's id is the language's own name, which the language step accepts typed),
Yes/No reply buttons (ids 1 and 2, the typed answers), and the category list
(ids 1-7, the menu's numbers). Each template's body is its one variable {{1}}:
the reply text itself, rendered from the library when it is sent. Run by
`salga whatsapp contents` (again after the labels change: the new templates
replace the old in whatsapp_templates).
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentList

from app.languages import repository as languages
from app.templates import render
from app.templates.render import Library
from app.vocab import CATEGORIES, Conn
from app.whatsapp import repository as repo
from app.whatsapp.interactive import CATEGORIES as CATEGORY_LIST
from app.whatsapp.interactive import LANGUAGE, YES_NO

BODY = "{{1}}"


def definitions(lib: Library, language: str, *, offered: list[str]
                ) -> dict[str, dict[str, Any]]:
    """The Content API `types` of each interactive template in `language`; `offered`: the
    languages of the language menu, in its order."""
    def label(key: str, lang: str = language) -> str:
        return lib.text(key, lang)

    choose = label("button_choose")[:20]
    return {
        LANGUAGE: {"twilio/list-picker": {
            "body": BODY, "button": choose,
            "items": [{"id": label("language_name", lang).lower()[:200],
                       "item": label("language_name", lang)[:24], "description": ""}
                      for lang in offered]}},
        YES_NO: {"twilio/quick-reply": {
            "body": BODY,
            "actions": [{"id": "1", "title": label("button_yes")[:20]},
                        {"id": "2", "title": label("button_no")[:20]}]}},
        CATEGORY_LIST: {"twilio/list-picker": {
            "body": BODY, "button": choose,
            "items": [{"id": str(number), "item": lib.label("cat", category, language)[:24],
                       "description": ""}
                      for number, category in enumerate(CATEGORIES, start=1)]}},
    }


def create(client: Client, *, purpose: str, language: str, types: dict[str, Any]) -> str:
    """One template through the Content API; returns its ContentSid."""
    request = ContentList.ContentCreateRequest({
        "friendly_name": f"salga_{purpose}_{language}", "language": language,
        "variables": {"1": "..."}, "types": types})
    return str(client.content.v1.contents.create(request).sid)


async def create_all(conn: Conn, client: Client) -> int:
    """Create every interactive template in every language and store its ContentSid."""
    lib = await render.load(conn, tenant_id=None)
    named = {language for (key, language) in lib.texts if key == "language_name"}
    offered = [row["code"] for row in await languages.active(conn) if row["code"] in named]
    made = 0
    for language in offered:
        for purpose, types in definitions(lib, language, offered=offered).items():
            sid = await asyncio.to_thread(create, client, purpose=purpose, language=language,
                                          types=types)
            try:
                async with conn.transaction():
                    await repo.save_content(conn, purpose=purpose, language=language,
                                            content_sid=sid)
            except psycopg.errors.IntegrityError:
                break  # a library language the channel does not offer yet
            made += 1
    return made
