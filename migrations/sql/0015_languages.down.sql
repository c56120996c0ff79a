-- 0015 undone: back to three languages named in check constraints.
-- isiXhosa rows and the words are removed; the check constraints come back
-- `not valid` so that rows written in isiXhosa meanwhile do not block the
-- way back (new rows are checked again).

-- The library: the new keys and every isiXhosa text go; the language menu's
-- version 1 is approved again (the guard allows no such move, by design, so
-- it is held off for this one statement).
delete from public.message_templates where language = 'xh' and tenant_id is null;
delete from public.message_templates
 where template_key in (select template_key from public.message_template_keys
                         where kind = 'words' or template_key in (
                           'language_choice', 'greeting_reply', 'thanks_reply',
                           'category_guess', 'description_kept', 'reprompt_consent',
                           'reprompt_menu', 'reprompt_sensitive_consent', 'reprompt_confirm',
                           'reprompt_duplicate'));
delete from public.message_templates where template_key = 'choose_language' and version > 1;
alter table public.message_templates disable trigger guard_template_changes;
update public.message_templates set status = 'approved', retired_at = null
 where template_key = 'choose_language' and version = 1 and tenant_id is null;
alter table public.message_templates enable trigger guard_template_changes;
delete from public.message_template_keys
 where kind = 'words' or template_key in (
   'language_choice', 'greeting_reply', 'thanks_reply', 'category_guess', 'description_kept',
   'reprompt_consent', 'reprompt_menu', 'reprompt_sensitive_consent', 'reprompt_confirm',
   'reprompt_duplicate');
update public.message_template_keys set variables = '{}' where template_key = 'choose_language';
alter table public.message_template_keys drop constraint message_template_keys_kind_check,
  add constraint message_template_keys_kind_check
    check (kind in ('conversation', 'notification', 'notice', 'label'));

create or replace function private.handle_new_user() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_invite jsonb := coalesce(new.raw_app_meta_data -> 'salga_invite', 'null'::jsonb);
  v_user jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  v_code text;
  v_role text := 'citizen';
  v_tenant uuid;
  v_language text := coalesce(nullif(v_user ->> 'language', ''), 'en');
  v_name text := nullif(btrim(coalesce(v_user ->> 'full_name', '')), '');
begin
  if jsonb_typeof(v_invite) = 'object' then
    v_code := v_invite ->> 'municipality';
    v_role := coalesce(nullif(v_invite ->> 'role', ''), 'citizen');
    select m.id into v_tenant
      from public.municipalities m
     where m.id = private.as_uuid(v_invite ->> 'municipality_id') and m.is_active;
  else
    v_code := v_user ->> 'municipality';
  end if;
  if v_tenant is null then
    select m.id into v_tenant
      from public.municipalities m
     where m.code = upper(btrim(coalesce(v_code, ''))) and m.is_active;
  end if;
  if v_tenant is null
     or v_role not in ('citizen', 'field_worker', 'manager', 'admin', 'saps_liaison') then
    return null;
  end if;
  if v_language not in ('en', 'zu', 'af') then
    v_language := 'en';
  end if;
  if v_name is not null and length(v_name) > 200 then
    v_name := left(v_name, 200);
  end if;
  insert into public.profiles (id, tenant_id, role, full_name, phone, preferred_language)
  values (new.id, v_tenant, v_role, v_name,
          case when new.phone ~ '^[1-9][0-9]{6,14}$' then '+' || new.phone
               when new.phone ~ '^\+[1-9][0-9]{6,14}$' then new.phone end,
          v_language)
  on conflict (id) do nothing;
  return null;
end
$$;
revoke all on function private.handle_new_user() from public, anon, authenticated, service_role;

drop index if exists public.profiles_preferred_language_idx;
drop index if exists public.tickets_language_idx;
alter table public.profiles drop constraint profiles_preferred_language_fkey,
  add constraint profiles_preferred_language_check
    check (preferred_language in ('en', 'zu', 'af')) not valid;
alter table public.tickets drop constraint tickets_language_fkey,
  add constraint tickets_language_check check (language in ('en', 'zu', 'af')) not valid;
alter table public.consent_records drop constraint consent_records_language_fkey,
  add constraint consent_records_language_check check (language in ('en', 'zu', 'af')) not valid;
alter table public.notification_outbox drop constraint notification_outbox_language_fkey,
  add constraint notification_outbox_language_check
    check (language in ('en', 'zu', 'af')) not valid;
alter table public.whatsapp_conversations drop constraint whatsapp_conversations_language_fkey,
  add constraint whatsapp_conversations_language_check
    check (language in ('en', 'zu', 'af')) not valid;
alter table public.whatsapp_templates drop constraint whatsapp_templates_language_fkey,
  add constraint whatsapp_templates_language_check
    check (language in ('en', 'zu', 'af')) not valid;
alter table public.message_templates drop constraint message_templates_language_fkey,
  add constraint message_templates_language_check
    check (language in ('en', 'zu', 'af')) not valid;

drop table public.languages;
