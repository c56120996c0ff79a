"""The duty to protect children, in the protected (private) conversation.

After the person agrees to the referral, they are told that reports involving a
child are always passed on to SAPS, and asked whether a child (under 18) is
involved or at risk. A "yes" waits on the conversation until the report is filed,
then flags the casework: the database starts the 15-minute acknowledgement clock
and opens the Department of Social Development referral. Nothing the person says
later lowers the flag (the database refuses it). Every reply in the protected
flow carries the emergency wording (10111, 0800 428 428, Childline 116).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.casework import service as casework
from app.vocab import SENSITIVE_CATEGORY
from app.whatsapp import understanding as understand

if TYPE_CHECKING:
    from app.whatsapp.conversation import Context



def ask(ctx: Context) -> str:
    """The notice, then the question (the step after agreeing to the referral)."""
    ctx.go("child", child_involved=None)
    return ctx.t("child_notice") + "\n\n" + ctx.t("child_question")


async def on_child(ctx: Context) -> str:
    # Yes and no as people say them, in every language (the library's word lists).
    said = understand.answer(ctx.lib, ctx.msg.body)
    if said == understand.YES:
        ctx.go("description", child_involved=True)
        return ctx.t("child_noted") + "\n\n" + ctx.t("ask_description_sensitive")
    if said == understand.NO:
        ctx.go("description", child_involved=False)
        return ctx.t("ask_description_sensitive")
    return ctx.t("child_question")


async def after_filing(ctx: Context, ticket: dict[str, Any]) -> None:
    """A child case once filed: flag its casework (the deadline and referral follow)."""
    if ctx.get("child_involved"):
        await casework.flag_child_case(ctx.conn, ticket_id=ticket["id"])


def in_protected_flow(ctx: Context) -> bool:
    return SENSITIVE_CATEGORY in (ctx.conv.get("category"), ctx.get("category"))


def with_emergency(ctx: Context, reply: str) -> str:
    """Every reply in the protected flow ends with the emergency numbers (once)."""
    if not reply or not in_protected_flow(ctx):
        return reply
    numbers = ctx.emergency()
    return reply if numbers in reply else reply + "\n\n" + numbers
