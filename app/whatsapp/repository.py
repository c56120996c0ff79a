"""SQL for the WhatsApp channel. Runs as the service role (webhook and worker)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

CONVERSATION_FIELDS = frozenset({
    "user_id", "language", "state", "category", "encrypted_draft_description", "latitude",
    "longitude", "address", "consent_version", "opted_out_at", "expires_at", "last_inbound_at",
    "child_involved",
    "asked_for_pin",
})


async def arrive(conn: Conn, *, number: str, message_sid: str) -> Row | None:
    """One round trip for what every message needs first: the municipality on `number`
    (None when there is none), whether this MessageSid is new (`claimed`; False for a
    retry), its library generation, and the interactive templates (ContentSids by
    "purpose language")."""
    cur = await conn.execute(
        r"""
        with m as (
          select id, code, name from public.municipalities
           where whatsapp_number = %(number)s and is_active
        ), claimed as (
          insert into public.whatsapp_inbound_messages (message_sid, tenant_id)
          select %(sid)s, m.id from m
          on conflict (message_sid) do nothing
          returning message_sid
        )
        select m.id, m.code, m.name, exists (select 1 from claimed) as claimed,
               private.library_generation(m.id) as library_generation,
               (select coalesce(jsonb_object_agg(w.template_key || ' ' || w.language,
                                                 w.content_sid), '{}')
                  from public.whatsapp_templates w
                 where w.template_key like 'interactive\_%%') as contents
          from m
        """, {"number": number, "sid": message_sid})
    return await cur.fetchone()


async def stored_reply(conn: Conn, message_sid: str) -> str:
    """The reply given to this message, or "" when it went out through the Messages API
    (an interactive message, already sent)."""
    cur = await conn.execute(
        "select reply, reply_message_sid from public.whatsapp_inbound_messages"
        " where message_sid = %s", (message_sid,))
    row = await cur.fetchone()
    if row is None or row["reply_message_sid"] is not None:
        return ""
    return row["reply"] or ""


async def finish(
    conn: Conn, *, message_sid: str, conversation_id: UUID | None, changes: dict[str, Any],
    reply: str, template_ids: list[UUID],
) -> None:
    """In one statement: what the message changed in its conversation (none when the
    conversation is gone), and the reply with the approved text versions it was made of."""
    unknown = set(changes) - CONVERSATION_FIELDS
    if unknown:
        raise ValueError(f"not conversation fields: {sorted(unknown)}")
    values = {**{f"c_{name}": value for name, value in changes.items()},
              "id": conversation_id, "reply": reply, "template_ids": template_ids,
              "sid": message_sid}
    saved = ("update public.whatsapp_inbound_messages set reply = %(reply)s,"
             " conversation_id = %(id)s, template_ids = %(template_ids)s"
             " where message_sid = %(sid)s")
    if conversation_id is None or not changes:
        await conn.execute(saved, values)
        return
    assignments = ", ".join(f"{name} = %(c_{name})s" for name in changes)
    await conn.execute(
        f"with changed as (update public.whatsapp_conversations set {assignments}"
        f" where id = %(id)s) {saved}", values)


async def conversation_for_update(conn: Conn, *, tenant_id: UUID, phone: str) -> Row:
    """The (municipality, phone) conversation, created if new, locked for this transaction."""
    cur = await conn.execute(
        "select * from public.whatsapp_conversations where tenant_id = %s and phone = %s"
        " for update", (tenant_id, phone))
    row = await cur.fetchone()
    if row is not None:
        return row
    # New: inserted here, so ours until commit (a concurrent first message waits on
    # the unique key). Lost a race: the other's row, once it commits.
    cur = await conn.execute(
        "insert into public.whatsapp_conversations (tenant_id, phone) values (%s, %s)"
        " on conflict (tenant_id, phone) do nothing returning *", (tenant_id, phone))
    row = await cur.fetchone()
    if row is not None:
        return row
    cur = await conn.execute(
        "select * from public.whatsapp_conversations where tenant_id = %s and phone = %s"
        " for update", (tenant_id, phone))
    row = await cur.fetchone()
    assert row is not None
    return row


async def delete_conversation(conn: Conn, conversation_id: UUID) -> None:
    await conn.execute(
        "delete from public.whatsapp_conversations where id = %s", (conversation_id,))


async def citizen_by_phone(conn: Conn, *, tenant_id: UUID, phone: str) -> Row | None:
    """The living person with this phone in this municipality (a phone is a person per
    municipality; a deleted person who comes back starts afresh)."""
    cur = await conn.execute(
        "select id, tenant_id, preferred_language from public.profiles"
        " where tenant_id = %s and phone = %s and deleted_at is null", (tenant_id, phone))
    return await cur.fetchone()


async def has_living_profile_in(conn: Conn, *, user_id: UUID, tenant_id: UUID) -> bool:
    cur = await conn.execute(
        "select 1 from public.profiles where id = %s and tenant_id = %s and deleted_at is null",
        (user_id, tenant_id))
    return await cur.fetchone() is not None


async def earlier_people_with_phone(conn: Conn, *, tenant_id: UUID, phone: str) -> int:
    """How many people (the deleted included) this number has been in this municipality."""
    cur = await conn.execute(
        "select count(*) as n from public.profiles where tenant_id = %s and phone = %s",
        (tenant_id, phone))
    row = await cur.fetchone()
    return int(row["n"]) if row else 0


async def set_profile_phone(conn: Conn, *, user_id: UUID, phone: str) -> None:
    await conn.execute("update public.profiles set phone = %s where id = %s", (phone, user_id))


async def set_preferred_language(conn: Conn, user_id: UUID, language: str) -> None:
    await conn.execute(
        "update public.profiles set preferred_language = %s where id = %s", (language, user_id))


async def record_consent(
    conn: Conn, *, user_id: UUID, tenant_id: UUID, purpose: str, description: str,
    language: str, consented: bool, version: str, notice_id: UUID, categories: list[str],
) -> None:
    await conn.execute(
        """
        insert into public.consent_records (user_id, tenant_id, purpose, purpose_description,
          language, consented, consent_version, privacy_policy_version, categories, user_agent,
          notice_template_id)
        values (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'whatsapp', %s)
        """,
        (user_id, tenant_id, purpose, description, language, consented, version, version,
         categories, notice_id))


async def withdraw_consents(conn: Conn, *, user_id: UUID, tenant_id: UUID) -> None:
    await conn.execute(
        "update public.consent_records set withdrawn_at = now()"
        " where user_id = %s and tenant_id = %s and withdrawn_at is null",
        (user_id, tenant_id))


async def reporter_ticket(
    conn: Conn, *, tracking_number: str, user_id: UUID, tenant_id: UUID
) -> Row | None:
    """The caller's own report, of the municipality they are messaging."""
    cur = await conn.execute(
        "select t.tracking_number, t.status, t.is_sensitive from public.tickets t"
        " where t.tracking_number = %s and t.reporter_id = %s and t.tenant_id = %s",
        (tracking_number, user_id, tenant_id))
    return await cur.fetchone()


async def queue_media(
    conn: Conn, *, tenant_id: UUID, conversation_id: UUID, message_sid: str, index: int,
    url: str, kind: str = "image", declared: str | None = None,
) -> None:
    await conn.execute(
        "insert into public.whatsapp_media_jobs (tenant_id, conversation_id, message_sid,"
        " media_index, media_url, media_kind, declared_type)"
        " values (%s, %s, %s, %s, %s, %s, %s)"
        " on conflict (message_sid, media_index) do nothing",
        (tenant_id, conversation_id, message_sid, index, url, kind, declared or None))


async def waiting_media_count(conn: Conn, conversation_id: UUID, *,
                              photos: bool = True) -> int:
    """Files waiting for the draft: its photos (only images count as photos), or the
    other evidence (voice notes, videos, documents)."""
    kind_test = "=" if photos else "<>"
    cur = await conn.execute(
        "select count(*) as n from public.whatsapp_media_jobs"
        " where conversation_id = %s and status = 'waiting'"
        f" and media_kind {kind_test} 'image'", (conversation_id,))
    row = await cur.fetchone()
    return int(row["n"]) if row else 0


async def attach_media(
    conn: Conn, *, conversation_id: UUID, ticket_id: UUID, bucket: str
) -> None:
    """Hand the conversation's photos to the worker, now that they have a ticket."""
    await conn.execute(
        "update public.whatsapp_media_jobs set ticket_id = %s, bucket = %s, status = 'pending',"
        " next_attempt_at = now() where conversation_id = %s and status = 'waiting'",
        (ticket_id, bucket, conversation_id))


async def discard_media(conn: Conn, conversation_id: UUID) -> None:
    """Photos of an abandoned draft: the worker deletes them at Twilio, stores nothing."""
    await conn.execute(
        "update public.whatsapp_media_jobs set status = 'discard', conversation_id = null,"
        " next_attempt_at = now() where conversation_id = %s and status = 'waiting'",
        (conversation_id,))


async def expire_conversations(conn: Conn) -> int:
    """Abandoned drafts: text and location cleared, photos dropped (deleted at Twilio).
    A first message kept before the language and consent steps goes the same way."""
    cur = await conn.execute(
        """
        with gone as (
          update public.whatsapp_conversations
             set state = case when state in ('language', 'consent') then state else 'menu' end,
                 category = null, encrypted_draft_description = null,
                 latitude = null, longitude = null, address = null, expires_at = null,
                 asked_for_pin = false
           where expires_at < now()
             and state in ('sensitive_consent', 'child', 'description', 'location', 'photos',
                           'confirm', 'language', 'consent', 'menu')
          returning id)
        update public.whatsapp_media_jobs set status = 'discard', conversation_id = null,
               next_attempt_at = now()
         where conversation_id in (select id from gone) and status = 'waiting'
        """)
    return cur.rowcount


async def has_earlier_messages(conn: Conn, conversation_id: UUID) -> bool:
    """Whether the conversation has answered anything before (its first message has none)."""
    cur = await conn.execute(
        "select 1 from public.whatsapp_inbound_messages where conversation_id = %s limit 1",
        (conversation_id,))
    return await cur.fetchone() is not None


async def has_places(conn: Conn, *, tenant_id: UUID) -> bool:
    """Whether the municipality has loaded any place names to match addresses against."""
    cur = await conn.execute(
        "select exists (select 1 from public.places where tenant_id = %s) as found",
        (tenant_id,))
    row = await cur.fetchone()
    return bool(row and row["found"])


async def reopen_for_reporter(conn: Conn, *, tenant_id: UUID, reporter_id: UUID,
                              words: str) -> Row | None:
    """What the reporter's latest ordinary report became when they said it is not fixed
    (outcome 'reopened', 'open' or 'follow_up'), or None when they have none."""
    cur = await conn.execute(
        "select * from private.reopen_for_reporter(%s, %s, %s)",
        (tenant_id, reporter_id, words))
    return await cur.fetchone()


async def ticket_place(conn: Conn, *, ticket_id: object) -> Row:
    """Category and place of a report, for a follow-up filed where it was."""
    cur = await conn.execute(
        "select category, address,"
        " extensions.st_y(location::extensions.geometry) as latitude,"
        " extensions.st_x(location::extensions.geometry) as longitude"
        " from public.tickets where id = %s", (ticket_id,))
    row = await cur.fetchone()
    assert row is not None
    return row


async def link_follow_up(conn: Conn, *, ticket_id: object, follows: object) -> None:
    await conn.execute("update public.tickets set follows_up = %s where id = %s",
                       (follows, ticket_id))


async def save_content(conn: Conn, *, purpose: str, language: str, content_sid: str) -> None:
    await conn.execute(
        "insert into public.whatsapp_templates (template_key, language, content_sid,"
        " variable_names) values (%s, %s, %s, '{body}')"
        " on conflict (template_key, language) do update set content_sid = excluded.content_sid,"
        " variable_names = excluded.variable_names", (purpose, language, content_sid))


async def mark_sent_interactive(conn: Conn, *, message_sid: str, reply_sid: str) -> None:
    await conn.execute(
        "update public.whatsapp_inbound_messages set reply_message_sid = %s"
        " where message_sid = %s", (reply_sid, message_sid))
