"""The start of a conversation: language, consent, and what the report is about.

A first message that already says what is wrong ("there is a burst pipe on Main Road",
"amanzi ayavuza") is kept, encrypted, until the person has chosen a language and agreed
to the notice; then it becomes the report's description, and when it names a category
the person is only asked to confirm it. Answers that are not understood get the question
again, short: never the whole menu after an apology.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.crypto import default_cipher
from app.languages import repository as languages
from app.vocab import CATEGORIES, SENSITIVE_CATEGORY
from app.whatsapp import repository as repo
from app.whatsapp import understanding as understand
from app.whatsapp.conversation import (
    Context,
    citizen_for,
    consent_notice,
    menu,
    record_consent,
)


async def language_menu(ctx: Context) -> str:
    """The welcome and one line per active language, each in its own words."""
    lines = []
    for number, row in enumerate(await languages.active(ctx.conn), start=1):
        if ("language_choice", row["code"]) in ctx.lib.texts:
            lines.append(ctx.lib.text("language_choice", row["code"], number=number))
        else:  # a language whose texts are still being approved
            lines.append(f"{number} {row['name']}")
    return ctx.lib.text("choose_language", "en", languages="\n".join(lines))


def keep_first_message(ctx: Context) -> None:
    """The first message of a conversation, when it says what is wrong, is kept for the
    report (encrypted, cleared with the draft, gone if consent is declined)."""
    body = ctx.msg.body.strip()
    guess = understand.category(ctx.lib, body)
    if understand.describes(ctx.lib, body):
        keep_description(ctx, body)
    elif guess is None:
        return
    ctx.changes["category"] = guess
    ctx.changes["expires_at"] = expiry(ctx)


def keep_description(ctx: Context, body: str) -> None:
    """Kept encrypted, and cleared with the draft if the report is not finished."""
    ctx.changes["encrypted_draft_description"] = default_cipher().encrypt(body[:5000])
    ctx.changes["expires_at"] = expiry(ctx)


def expiry(ctx: Context) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=ctx.settings.conversation_ttl_minutes)


async def on_language(ctx: Context) -> str:
    choice = understand.language(ctx.msg.body, await languages.active(ctx.conn))
    if choice is None:
        if not await repo.has_earlier_messages(ctx.conn, ctx.conv["id"]):
            keep_first_message(ctx)
        return await language_menu(ctx)
    ctx.go("consent", language=choice)
    return consent_notice(ctx)


async def on_consent(ctx: Context) -> str:
    answer = understand.answer(ctx.lib, ctx.msg.body)
    if answer == understand.NO:
        await repo.discard_media(ctx.conn, ctx.conv["id"])
        await repo.delete_conversation(ctx.conn, ctx.conv["id"])
        ctx.deleted = True
        return ctx.t("consent_declined")
    if answer is None:
        return polite(ctx, ctx.t("reprompt_consent"))
    user_id = await citizen_for(ctx)
    await record_consent(
        ctx, user_id=user_id, purpose="whatsapp_reporting",
        description="Keep the phone number, reports and their locations to handle reports "
                    "and send progress updates over WhatsApp.", categories=[])
    notice = ctx.lib.version("privacy_notice", ctx.lang)
    ctx.go("menu", user_id=user_id, consent_version=str(notice.version))
    guess = ctx.get("category")
    if guess is not None:
        return ctx.t("category_guess", category=ctx.label("cat", guess))
    return menu(ctx)


def polite(ctx: Context, question: str) -> str:
    """The question again, after a greeting back when the person said hello."""
    if understand.greeting(ctx.lib, ctx.msg.body):
        return ctx.t("greeting_reply") + "\n\n" + question
    return question


async def on_menu(ctx: Context) -> str:
    """A number, a category's name or common word ("water", "amanzi", "krag"), or a
    sentence that says what is wrong (kept, its category offered for confirmation)."""
    body = ctx.msg.body
    number = understand.normalise(body).split(" ")[0]
    picked = number.isdigit() and 1 <= int(number) <= len(CATEGORIES)
    named = understand.category(ctx.lib, body)
    guess = ctx.get("category")
    if guess is not None:  # confirming the category guessed from what they wrote
        answer = understand.answer(ctx.lib, body)
        if answer == understand.YES:
            return await chosen(ctx, guess)
        if answer == understand.NO:
            ctx.changes["category"] = None
            return menu(ctx)
        if not picked and named is None:
            return polite(ctx, ctx.t("category_guess", category=ctx.label("cat", guess)))
    if picked:
        return await chosen(ctx, CATEGORIES[int(number) - 1])
    if understand.describes(ctx.lib, body):
        keep_description(ctx, body)
        if named is None:
            return menu(ctx)
        ctx.changes["category"] = named
        return ctx.t("category_guess", category=ctx.label("cat", named))
    if named is not None:
        return await chosen(ctx, named)
    if understand.thanks(ctx.lib, body):
        return ctx.t("thanks_reply")
    if understand.greeting(ctx.lib, body):
        return ctx.t("greeting_reply") + "\n\n" + menu(ctx)
    return ctx.t("reprompt_menu")


async def chosen(ctx: Context, category: str) -> str:
    """The category is settled: on to the protected consent, the location (when the
    description was kept) or the description."""
    if category == SENSITIVE_CATEGORY:
        # A protected report is told after its own consent, never from a kept message.
        ctx.go("sensitive_consent", category=category, encrypted_draft_description=None)
        return ctx.t("sensitive_consent", municipality=ctx.municipality["name"],
                     emergency=ctx.emergency())
    kept = ctx.get("encrypted_draft_description")
    if kept is None:
        ctx.go("description", category=category)
        return ctx.t("ask_description")
    ctx.go("location", category=category)
    description = default_cipher().decrypt(kept)
    return ctx.t("description_kept", description=description) + "\n\n" + ctx.t("ask_location")


HANDLERS = {"language": on_language, "consent": on_consent, "menu": on_menu}
