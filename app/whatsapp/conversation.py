"""The reporting conversation, one step per inbound message; state lives in Postgres.

language → consent → menu → (sensitive_consent) → description → location →
photos → confirm → filed (back to menu). Each handler reads the locked
conversation row, records what changes in `ctx.changes`, and returns the reply.
The first three steps are in `opening`; what an answer means, in any language,
is `understanding`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from app.config import ChannelSettings
from app.crypto import default_cipher
from app.duplicates import service as duplicates
from app.identity.people import create_person
from app.templates.render import Library
from app.tickets import service as tickets
from app.vocab import CATEGORIES, SENSITIVE_CATEGORY, Conn
from app.whatsapp import address, child, evidence
from app.whatsapp import repository as repo
from app.whatsapp import understanding as understand
from app.whatsapp.schemas import Inbound

# Declining to say where (protected reports only): en, zu, af, xh.
NO_LOCATION = {"skip", "no", "n", "none", "not safe", "unsafe", "rather not", "no location",
               "angifuni", "cha", "qha", "angeke", "nee", "oorslaan", "liewer nie", "nie veilig",
               "andifuni", "hayi", "hhayi", "tsiba"}
DRAFT_STATES = {"sensitive_consent", "child", "description", "location", "photos", "confirm",
                "duplicate"}
CLEARED_DRAFT: dict[str, Any] = {"category": None, "encrypted_draft_description": None,
                                 "latitude": None, "longitude": None, "address": None,
                                 "expires_at": None, "asked_for_pin": False}


@dataclass
class Context:
    conn: Conn
    municipality: dict[str, Any]
    conv: dict[str, Any]
    msg: Inbound
    settings: ChannelSettings
    lib: Library
    changes: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False

    @property
    def lang(self) -> str:
        return str(self.changes.get("language") or self.conv.get("language") or "en")

    def get(self, name: str) -> Any:
        return self.changes[name] if name in self.changes else self.conv.get(name)

    def go(self, state: str, **fields: Any) -> None:
        self.changes["state"] = state
        self.changes.update(fields)
        if state in DRAFT_STATES:
            ttl = timedelta(minutes=self.settings.conversation_ttl_minutes)
            self.changes["expires_at"] = datetime.now(UTC) + ttl

    def t(self, key: str, **values: Any) -> str:
        return self.lib.text(key, self.lang, **values)

    def label(self, prefix: str, value: str) -> str:
        return self.lib.label(prefix, value, self.lang)

    def emergency(self) -> str:
        return self.lib.emergency(self.lang)


def menu(ctx: Context) -> str:
    labels = {c: ctx.label("cat", c) for c in CATEGORIES}
    return ctx.t("menu", **labels)


def consent_notice(ctx: Context) -> str:
    """The short notice, citing the version of the full privacy notice it stands for."""
    notice = ctx.lib.version("privacy_notice", ctx.lang)
    return ctx.t("consent_notice", municipality=ctx.municipality["name"],
                 version=notice.version)


async def record_consent(ctx: Context, *, user_id: Any, purpose: str, description: str,
                         categories: list[str]) -> None:
    """Consent, with the privacy notice version the citizen was shown."""
    notice = ctx.lib.version("privacy_notice", ctx.lang)
    await repo.record_consent(
        ctx.conn, user_id=user_id, tenant_id=ctx.municipality["id"], purpose=purpose,
        description=description, language=ctx.lang, consented=True,
        version=str(notice.version), notice_id=notice.id, categories=categories)


async def clear_draft(ctx: Context) -> None:
    ctx.changes.update(CLEARED_DRAFT)
    await repo.discard_media(ctx.conn, ctx.conv["id"])


async def citizen_for(ctx: Context) -> UUID:
    """The person this number is in this municipality, created through Auth if new.

    A phone is a person per municipality, and a deleted person who comes back starts
    afresh. Auth keeps one phone per person, so when the number already belongs to
    someone else (another municipality's person, or the deleted one) the new person is
    created under a local alias that can never receive mail, and their profile carries
    the number. The alias is the same on a retry, so a retry finds the same person."""
    tenant_id, phone = ctx.municipality["id"], ctx.msg.from_phone
    citizen = await repo.citizen_by_phone(ctx.conn, tenant_id=tenant_id, phone=phone)
    if citizen is not None:
        await repo.set_preferred_language(ctx.conn, citizen["id"], ctx.lang)
        return UUID(str(citizen["id"]))
    # Through Auth; the profile trigger puts them in this municipality.
    user_id = await create_person(ctx.conn, phone=phone, tenant_id=tenant_id,
                                  language=ctx.lang)
    if await repo.has_living_profile_in(ctx.conn, user_id=user_id, tenant_id=tenant_id):
        return user_id
    earlier = await repo.earlier_people_with_phone(ctx.conn, tenant_id=tenant_id, phone=phone)
    alias = f"wa.{phone.lstrip('+')}.{ctx.municipality['code'].lower()}.{earlier}" \
            "@whatsapp.invalid"
    user_id = await create_person(ctx.conn, email=alias, tenant_id=tenant_id,
                                  language=ctx.lang)
    await repo.set_profile_phone(ctx.conn, user_id=user_id, phone=phone)
    return user_id


async def back_to_menu(ctx: Context, key: str) -> str:
    """Drop the draft and show the menu after the reply `key`."""
    await clear_draft(ctx)
    ctx.go("menu")
    return ctx.t(key) + "\n\n" + menu(ctx)


async def on_sensitive_consent(ctx: Context) -> str:
    answer = understand.answer(ctx.lib, ctx.msg.body)
    if answer == understand.NO:
        return await back_to_menu(ctx, "sensitive_declined")
    if answer is None:
        return ctx.t("reprompt_sensitive_consent") + "\n\n" + ctx.emergency()
    await record_consent(
        ctx, user_id=ctx.conv["user_id"], purpose="saps_referral",
        description="Refer this private report to the municipality's SAPS liaison officers.",
        categories=["gbv"])
    return child.ask(ctx)


def is_sensitive(ctx: Context) -> bool:
    return ctx.get("category") == SENSITIVE_CATEGORY


async def queue_photos(ctx: Context) -> int:
    """Queue this message's files (photos up to the maximum, and voice notes, videos and
    documents beside them); returns how many photos are waiting."""
    return (await evidence.queue(ctx)).photos


async def on_description(ctx: Context) -> str:
    queued = await evidence.queue(ctx) if ctx.msg.media_urls else evidence.Queued()
    sensitive = is_sensitive(ctx)
    if len(ctx.msg.body) < 10:
        prompt = ctx.t("ask_description_sensitive" if sensitive else "ask_description")
        if queued.kept_other:  # a voice note or a video: kept; only the words are asked
            return ctx.t("media_kept_ask_description")
        if queued.refused and not queued.new_photos:
            return ctx.t("media_not_accepted") + "\n\n" + prompt
        return ctx.t("description_too_short") + "\n\n" + prompt
    encrypted = default_cipher().encrypt(ctx.msg.body[:5000])
    ctx.go("location", encrypted_draft_description=encrypted)
    return ctx.t("ask_location_sensitive" if sensitive else "ask_location")


async def on_location(ctx: Context) -> str:
    msg = ctx.msg
    declined = " ".join(msg.body.lower().split()).strip(".!") in NO_LOCATION
    if declined and is_sensitive(ctx):
        ctx.go("photos", latitude=None, longitude=None, address=None)
    elif declined and msg.latitude is None:
        return ctx.t("location_too_short")  # never stored as an address
    elif msg.latitude is not None and msg.longitude is not None:
        ctx.go("photos", latitude=msg.latitude, longitude=msg.longitude, address=msg.address)
    elif len(msg.body) >= 5 and not msg.media_urls:
        return await address.typed(ctx)
    else:
        return ctx.t("location_too_short")
    return ctx.t("ask_photos", max=ctx.settings.max_photos)


async def on_photos(ctx: Context) -> str:
    if ctx.msg.media_urls:
        queued = await evidence.queue(ctx)
        ctx.go("photos")
        if queued.over:
            return ctx.t("too_many_photos", max=ctx.settings.max_photos)
        if not (queued.new_photos or queued.new_other):
            return ctx.t("media_not_accepted")
        if not queued.new_photos:
            return ctx.t("media_kept")
        return ctx.t("photo_received", count=queued.photos)
    if not understand.done(ctx.lib, ctx.msg.body):
        return ctx.t("not_understood") + "\n\n" + ctx.t("ask_photos", max=ctx.settings.max_photos)
    ctx.go("confirm")
    return await confirmation(ctx)


async def confirmation(ctx: Context) -> str:
    photos = await repo.waiting_media_count(ctx.conn, ctx.conv["id"])
    if is_sensitive(ctx):
        return ctx.t("confirm_sensitive", photos=photos)
    place = ctx.get("address") or ctx.t("location_pin")
    description = default_cipher().decrypt(ctx.get("encrypted_draft_description"))
    return ctx.t("confirm", category=ctx.label("cat", ctx.get("category")),
                 description=description, place=place, photos=photos)


async def on_confirm(ctx: Context) -> str:
    answer = understand.answer(ctx.lib, ctx.msg.body)
    if answer == understand.NO:
        return await back_to_menu(ctx, "restarted")
    if answer is None:
        return ctx.t("reprompt_confirm")
    nearby = await likely_duplicate(ctx)
    if nearby is not None:
        ctx.go("duplicate")
        return ctx.t("duplicate_offer", tracking_number=nearby["tracking_number"])
    return await file_draft(ctx)


async def likely_duplicate(ctx: Context) -> dict[str, Any] | None:
    """The nearest open report like this draft (never for a protected one)."""
    found = await duplicates.find(
        ctx.conn, tenant_id=ctx.municipality["id"], category=ctx.get("category"),
        latitude=ctx.get("latitude"), longitude=ctx.get("longitude"),
        is_sensitive=is_sensitive(ctx))
    return found[0] if found else None


async def on_duplicate(ctx: Context) -> str:
    """1: follow the report offered instead of filing; 2: file a new one."""
    answer = understand.answer(ctx.lib, ctx.msg.body)
    if answer == understand.NO:
        return await file_draft(ctx)
    nearby = await likely_duplicate(ctx)
    if answer is None:
        if nearby is None:
            return await file_draft(ctx)
        return ctx.t("reprompt_duplicate", tracking_number=nearby["tracking_number"])
    if nearby is None:  # closed meanwhile: file this one after all
        return await file_draft(ctx)
    await duplicates.follow(ctx.conn, ticket_id=nearby["id"], user_id=ctx.conv["user_id"],
                            source="whatsapp")
    await clear_draft(ctx)
    ctx.go("menu")
    return ctx.t("following", tracking_number=nearby["tracking_number"])


async def file_draft(ctx: Context) -> str:
    sensitive = is_sensitive(ctx)
    try:
        async with ctx.conn.transaction():
            ticket = await tickets.file_report(
                ctx.conn, tenant_id=ctx.municipality["id"], reporter_id=ctx.conv["user_id"],
                category=ctx.get("category"),
                description=default_cipher().decrypt(ctx.get("encrypted_draft_description")),
                latitude=ctx.get("latitude"), longitude=ctx.get("longitude"),
                address=ctx.get("address"), is_sensitive=sensitive, language=ctx.lang,
                source="whatsapp")
            await child.after_filing(ctx, ticket)
    except psycopg.Error:
        return ctx.t("filing_failed")
    await repo.attach_media(ctx.conn, conversation_id=ctx.conv["id"], ticket_id=ticket["id"],
                            bucket="gbv-evidence" if sensitive else "evidence")
    ctx.changes.update(CLEARED_DRAFT)
    ctx.go("menu")
    if sensitive:
        return ctx.t("filed_sensitive", tracking_number=ticket["tracking_number"],
                     emergency=ctx.emergency())
    return ctx.t("filed", tracking_number=ticket["tracking_number"])


HANDLERS = {
    "sensitive_consent": on_sensitive_consent, "description": on_description,
    "location": on_location, "photos": on_photos, "confirm": on_confirm,
    "duplicate": on_duplicate, "child": child.on_child,
}
