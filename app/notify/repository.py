"""SQL for the notification outbox. Runs as the service role (the worker)."""

from __future__ import annotations

from app.vocab import Conn, Row

_CLAIM = """
with due as (
  select o.id, o.status as previous_status, m.whatsapp_number as sender,
         c.last_inbound_at, c.opted_out_at, coalesce(t.is_sensitive, false) as is_sensitive,
         tpl.content_sid, tpl.variable_names
    from public.notification_outbox o
    join public.municipalities m on m.id = o.tenant_id
    left join public.whatsapp_conversations c
      on c.tenant_id = o.tenant_id and c.phone = o.recipient
    left join public.tickets t on t.id = o.ticket_id
    left join public.whatsapp_templates tpl
      on tpl.template_key = o.template_key and tpl.language = o.language
   where o.status in ('pending', 'sending') and o.next_attempt_at <= now()
   order by o.next_attempt_at, o.id
   limit %(limit)s
   for update of o skip locked
)
update public.notification_outbox o
   set status = 'sending', attempts = o.attempts + 1,
       next_attempt_at = now() + make_interval(secs => %(lease)s)
  from due
 where o.id = due.id
returning o.*, due.previous_status, due.sender, due.last_inbound_at, due.opted_out_at,
          due.is_sensitive, due.content_sid, due.variable_names
"""


async def claim_due(conn: Conn, *, limit: int, lease_seconds: float) -> list[Row]:
    """Due notifications, marked 'sending' under a lease; a crashed worker's expire."""
    cur = await conn.execute(_CLAIM, {"limit": limit, "lease": lease_seconds})
    return sorted(await cur.fetchall(), key=lambda row: row["id"])


async def mark_sent(conn: Conn, *, outbox_id: int, message_sid: str) -> None:
    await conn.execute(
        "update public.notification_outbox set status = 'sent', message_sid = %s,"
        " sent_at = now(), last_error = null where id = %s and status = 'sending'",
        (message_sid, outbox_id))


async def mark_retry(conn: Conn, *, outbox_id: int, error: str, delay_seconds: float) -> None:
    await conn.execute(
        "update public.notification_outbox set status = 'pending', last_error = %s,"
        " next_attempt_at = now() + make_interval(secs => %s)"
        " where id = %s and status = 'sending'", (error[:500], delay_seconds, outbox_id))


async def mark_final(conn: Conn, *, outbox_id: int, status: str, error: str) -> None:
    """'failed' (will not be retried) or 'cancelled' (must not be sent)."""
    await conn.execute(
        "update public.notification_outbox set status = %s, last_error = %s"
        " where id = %s and status = 'sending'", (status, error[:500], outbox_id))


async def record_delivery_status(
    conn: Conn, *, message_sid: str, status: str, error_code: str | None
) -> bool:
    cur = await conn.execute(
        "select private.record_delivery_status(%s, %s, %s) as known",
        (message_sid, status, (error_code or "")[:16] or None))
    row = await cur.fetchone()
    return bool(row and row["known"])


async def record_template(conn: Conn, *, outbox_id: int, template_id: object) -> None:
    """The approved text version this notification is sent with."""
    await conn.execute(
        "update public.notification_outbox set template_id = %s where id = %s",
        (template_id, outbox_id))
