"""One inbound WhatsApp message in, one reply out; idempotent by MessageSid.

Runs in the webhook's service-role transaction: nothing slow happens here
(photos are queued for the worker), so the reply goes back within Twilio's
time limit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from app.config import ChannelSettings
from app.errors import NotFound
from app.popia import repository as popia
from app.templates import render
from app.vocab import Conn
from app.whatsapp import child, interactive, opening, reopen
from app.whatsapp import repository as repo
from app.whatsapp import understanding as understand
from app.whatsapp.conversation import (
    DRAFT_STATES,
    HANDLERS,
    Context,
    clear_draft,
    consent_notice,
    menu,
)
from app.whatsapp.schemas import Inbound

# The commands' words (help, restart, stop, start, status, my data ...) are the library's
# `words_*` texts, in every language.
STEPS = {**opening.HANDLERS, **HANDLERS}
TRACKING = re.compile(r"\b([A-Za-z]{2,8}-\d{4}-(?:\d{6}|[Pp][2-9A-HJ-NP-Za-hj-np-z]{6}))\b")


class UnknownNumber(NotFound):
    """No municipality receives WhatsApp messages on this number."""

    def __init__(self) -> None:
        super().__init__("no municipality receives messages on this number")


async def handle_inbound(
    conn: Conn, *, msg: Inbound, settings: ChannelSettings,
    sender: interactive.Sender | None = None,
) -> str:
    """The reply to `msg` (the same reply again for a retried MessageSid). With a
    `sender`, a reply that asks a question goes out as an interactive message instead,
    and the webhook's own answer is empty."""
    arrived = await repo.arrive(conn, number=msg.to_phone, message_sid=msg.message_sid)
    if arrived is None:
        raise UnknownNumber()
    if not arrived["claimed"]:
        return await repo.stored_reply(conn, msg.message_sid)
    municipality = {k: arrived[k] for k in ("id", "code", "name")}
    conv = await repo.conversation_for_update(conn, tenant_id=municipality["id"],
                                              phone=msg.from_phone)
    lib = await render.load(conn, tenant_id=municipality["id"],
                            generation=arrived["library_generation"])
    ctx = Context(conn=conn, municipality=municipality, conv=conv, msg=msg, settings=settings,
                  lib=lib)
    reply = child.with_emergency(ctx, await converse(ctx))
    if not ctx.deleted:
        ctx.changes["last_inbound_at"] = datetime.now(UTC)
    await repo.finish(conn, message_sid=msg.message_sid,
                      conversation_id=None if ctx.deleted else conv["id"],
                      changes=ctx.changes, reply=reply, template_ids=lib.used)
    if sender is not None and settings.interactive_replies:
        offer = interactive.prepare(arrived["contents"], lib=lib, reply=reply,
                                    language=ctx.lang)
        sent = await sender(msg.from_phone, msg.to_phone, offer) if offer else None
        if sent is not None:
            await repo.mark_sent_interactive(conn, message_sid=msg.message_sid, reply_sid=sent)
            return ""
    return reply


async def converse(ctx: Context) -> str:
    state = ctx.conv["state"]
    command = understand.command(ctx.lib, ctx.msg.body)
    if state == "opted_out":
        return await resume(ctx) if command == "start" else ""
    if command == "stop":
        return await opt_out(ctx)
    consented = ctx.conv.get("user_id") is not None and state not in ("language", "consent")
    if command == "help":
        return ctx.t("help", municipality=ctx.municipality["name"], emergency=ctx.emergency())
    if command in ("my_data", "delete_my_data"):
        return await data_request(ctx, "access" if command == "my_data" else "deletion",
                                  consented=consented)
    if command == "status" and consented:
        return await status_reply(ctx)
    if command == "restart":
        await clear_draft(ctx)
        ctx.go("menu" if consented else "language")
        return ctx.t("restarted") + "\n\n" + (menu(ctx) if consented
                                               else await opening.language_menu(ctx))
    expires_at = ctx.conv.get("expires_at")
    if state in DRAFT_STATES and expires_at is not None and expires_at < datetime.now(UTC):
        await clear_draft(ctx)
        ctx.go("menu")
        return ctx.t("expired") + "\n\n" + menu(ctx)
    if state == "menu":  # no report in progress: maybe about the last one
        answer = await reopen.not_fixed(ctx)
        if answer is not None:
            return answer
    return await STEPS[state](ctx)


async def opt_out(ctx: Context) -> str:
    """Stop everything for this number: consent withdrawn, draft and photos dropped."""
    await clear_draft(ctx)
    if ctx.conv.get("user_id") is not None:
        await repo.withdraw_consents(ctx.conn, user_id=ctx.conv["user_id"],
                                     tenant_id=ctx.municipality["id"])
    reply = ctx.t("stopped")
    ctx.go("opted_out", opted_out_at=datetime.now(UTC), consent_version=None)
    return reply


async def resume(ctx: Context) -> str:
    ctx.changes["opted_out_at"] = None
    if ctx.conv.get("language"):
        ctx.go("consent")
        return consent_notice(ctx)
    ctx.go("language")
    return await opening.language_menu(ctx)


async def status_reply(ctx: Context) -> str:
    found = TRACKING.search(ctx.msg.body)
    if found is None:
        return ctx.t("status_usage")
    ticket = await repo.reporter_ticket(ctx.conn, tracking_number=found.group(1).upper(),
                                        user_id=ctx.conv["user_id"],
                                        tenant_id=ctx.municipality["id"])
    if ticket is None:
        return ctx.t("status_not_found")
    return ctx.t("status_reply", tracking_number=ticket["tracking_number"],
                 status=ctx.label("status", ticket["status"]))


async def data_request(ctx: Context, kind: str, *, consented: bool) -> str:
    """"my data" / "delete my data": a request on the 30-day clock. The export itself is
    never sent over WhatsApp (a phone may be read by someone else)."""
    if not consented:
        return ctx.t("data_request_needs_consent")
    request = await popia.open_request(ctx.conn, tenant_id=ctx.municipality["id"],
                                       user_id=ctx.conv["user_id"], kind=kind,
                                       details="asked over WhatsApp", channel="whatsapp")
    return ctx.t(f"data_request_{kind}", reference=request["reference"],
                 due_date=request["due_at"].date().isoformat())
