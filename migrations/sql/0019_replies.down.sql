-- 0019 undone: replies and their texts go; the reporter of a protected
-- report is again never messaged at all.
drop function if exists public.reply_to_reporter(uuid, text, uuid);
drop function if exists private.queued_reply(uuid, uuid, text);

create or replace function private.drop_sensitive_notifications() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.ticket_id is not null and exists (
       select 1 from public.tickets t where t.id = new.ticket_id and t.is_sensitive) then
    return null;
  end if;
  return new;
end
$$;
revoke all on function private.drop_sensitive_notifications() from public, authenticated;

delete from public.notification_outbox where reply_key is not null;
drop index if exists public.notification_outbox_reply_key;
alter table public.notification_outbox drop column if exists reply_key;

delete from public.message_templates m
 using public.message_template_keys k
 where k.template_key = m.template_key and k.kind = 'reply';
delete from public.message_template_keys where kind = 'reply';
alter table public.message_template_keys
  drop constraint message_template_keys_kind_check,
  add constraint message_template_keys_kind_check
    check (kind in ('conversation', 'notification', 'notice', 'label', 'words'));
