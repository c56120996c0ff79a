""""It is not fixed": a reply after a resolution reopens the report, or files a new one.

The phrases that say so are library data (`words_not_fixed`, one approved text
per language, phrases separated by commas), all languages matched at once: a person
may answer in any of them, and a new language is a new row, not code. The
database decides what happens (private.reopen_for_reporter): a report resolved
within 14 days is reopened through the status rules with the person's words as
the reason, and the team is told; a report still open is left as it is; an older
one gets a new report linked to it. A retried delivery changes nothing (the
webhook answers a MessageSid once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg

from app.tickets import service as tickets
from app.vocab import Row
from app.whatsapp import repository as repo
from app.whatsapp import understanding as understand

if TYPE_CHECKING:
    from app.templates.render import Library
    from app.whatsapp.conversation import Context

KEY = "words_not_fixed"


def says_not_fixed(lib: Library, body: str) -> bool:
    """Whether `body` says a report is not fixed, in any language of the library (the
    `words_not_fixed` lists, matched as whole phrases anywhere in the message)."""
    said = f" {understand.normalise(body)} "
    return any(f" {phrase} " in said for phrase in understand.words(lib, KEY))


async def not_fixed(ctx: Context) -> str | None:
    """The reply when this message says the person's last report is not fixed; None when
    it does not (or they have no report), so the conversation carries on as usual."""
    user_id = ctx.conv.get("user_id")
    if user_id is None or not says_not_fixed(ctx.lib, ctx.msg.body):
        return None
    words = ctx.msg.body[:400]
    found = await repo.reopen_for_reporter(ctx.conn, tenant_id=ctx.municipality["id"],
                                           reporter_id=user_id, words=words)
    if found is None:
        return None
    if found["outcome"] == "reopened":
        return ctx.t("reopened", tracking_number=found["tracking_number"])
    if found["outcome"] == "open":
        return ctx.t("reopen_still_open", tracking_number=found["tracking_number"],
                     status=ctx.label("status", found["status"]))
    return await follow_up(ctx, previous=found, words=words)


async def follow_up(ctx: Context, *, previous: Row, words: str) -> str:
    """A new report where the old one was, with the person's words, linked to it."""
    old = await repo.ticket_place(ctx.conn, ticket_id=previous["ticket_id"])
    try:
        async with ctx.conn.transaction():
            ticket = await tickets.file_report(
                ctx.conn, tenant_id=ctx.municipality["id"], reporter_id=ctx.conv["user_id"],
                category=old["category"], description=words, latitude=old["latitude"],
                longitude=old["longitude"], address=old["address"], language=ctx.lang,
                source="whatsapp")
            await repo.link_follow_up(ctx.conn, ticket_id=ticket["id"],
                                      follows=previous["ticket_id"])
    except psycopg.Error:
        return ctx.t("filing_failed")
    return ctx.t("reopen_new_report", previous=previous["tracking_number"],
                 tracking_number=ticket["tracking_number"])
