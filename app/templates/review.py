"""A language's texts beside the English ones, for a first-language speaker to check.

`salga templates review xh > xh.csv` gives one row per text a citizen can receive:
its key, what kind of text it is, the values it fills in, the English text and the
text in the language (empty when it has none, so English would be sent). The
reviewer's corrections go back as drafts in /dashboard/templates, approved by an
admin: the library records who approved which version, so the check is on record.
"""

from __future__ import annotations

import csv
import io
from uuid import UUID

from app.templates import repository as repo
from app.vocab import Conn

COLUMNS = ("key", "kind", "variables", "english", "text", "version", "version_id")


class UnknownLanguage(ValueError):
    """No approved text at all in the language asked for."""


async def sheet(conn: Conn, *, language: str, tenant_id: UUID | None) -> str:
    """The review sheet as CSV (what the municipality's citizens receive, its own texts
    first, else the platform's)."""
    texts = {(r["template_key"], r["language"]): r
             for r in await repo.approved_texts(conn, tenant_id=tenant_id)}
    if not any(lang == language for _, lang in texts):
        raise UnknownLanguage(f"no approved texts in {language!r}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for key in await repo.keys(conn):
        name = key["template_key"]
        english, text = texts.get((name, "en")), texts.get((name, language))
        if english is None and text is None:
            continue
        writer.writerow([name, key["kind"], " ".join(key["variables"] or []),
                         english["body"] if english else "", text["body"] if text else "",
                         text["version"] if text else "", text["id"] if text else ""])
    return out.getvalue()
