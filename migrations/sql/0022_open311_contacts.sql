-- =====================================================================
-- 0022 Open311 contacts are personal data like any other
-- What an Open311 client sends about a reporter (name, email, phone) was
-- stored in clear in the audit trail and survived both erasure and
-- retention. Now: the audit seals it under the key of the phone number
-- given; de-identifying a report clears it; and when a person is erased
-- (their profile goes), what any client sent with their phone number or
-- email goes too.
-- =====================================================================

-- ---------------------------------------------------------------------
-- A South African phone number as the platform stores it (+27…), from
-- what a client typed ("082 111 0003", "+27 82 111 0003", "27821110003").
-- ---------------------------------------------------------------------
create function private.e164(p_phone text) returns text
language sql immutable
set search_path = ''
as $$
  select case
    when p_phone is null or regexp_replace(p_phone, '[^0-9]', '', 'g') = '' then null
    when regexp_replace(p_phone, '[^0-9]', '', 'g') ~ '^0[0-9]{9}$'
      then '+27' || substr(regexp_replace(p_phone, '[^0-9]', '', 'g'), 2)
    else '+' || regexp_replace(p_phone, '[^0-9]', '', 'g')
  end
$$;

-- ---------------------------------------------------------------------
-- The audit seals Open311 contacts (the one place that decides, extended).
-- ---------------------------------------------------------------------
create or replace function private.audit_personal_fields(p_table text, p_values jsonb, p_row jsonb)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_fields text[];
  v_user uuid;
  v_phone text;
  v_key private.personal_keys;
  v_field text;
  v_result jsonb := p_values;
begin
  if p_values is null then
    return null;
  end if;
  case p_table
    when 'profiles' then
      v_fields := array['full_name', 'phone', 'verified_address'];
      v_user := (p_row ->> 'id')::uuid;
    when 'tickets' then
      v_fields := array['description', 'address', 'location'];
      v_user := (p_row ->> 'reporter_id')::uuid;
    when 'consent_records' then
      v_fields := array['ip_address', 'user_agent'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'media_attachments' then
      v_fields := array['filename'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'data_subject_requests' then
      v_fields := array['details', 'outcome_reason'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'notification_outbox' then
      v_fields := array['recipient', 'variables'];
      v_phone := p_row ->> 'recipient';
    when 'whatsapp_conversations' then
      v_fields := array['phone', 'address'];
      v_user := (p_row ->> 'user_id')::uuid;
      v_phone := p_row ->> 'phone';
    when 'open311_submissions' then
      -- What an Open311 client sent about its reporter: sealed under the key of
      -- the phone number it gave (or unreadable at once when it gave none).
      v_fields := array['contact', 'media_url'];
      v_phone := private.e164(p_row -> 'contact' ->> 'phone');
    when 'whatsapp_inbound_messages' then
      v_fields := array['reply'];
      select c.user_id, c.phone into v_user, v_phone from public.whatsapp_conversations c
       where c.id = (p_row ->> 'conversation_id')::uuid;
    when 'dsd_referrals' then
      v_fields := array['child_name', 'child_age', 'child_gender', 'incident_place',
                        'incident_when', 'offender_relationship', 'action_taken'];
      select t.reporter_id into v_user from public.tickets t
       where t.id = (p_row ->> 'ticket_id')::uuid;
    else
      return p_values;
  end case;
  if not (p_values ?| v_fields) then
    return p_values;
  end if;
  v_key := private.personal_key(v_user, v_phone);
  foreach v_field in array v_fields loop
    -- (placeholders written by the trigger — changed, redacted, encrypted — stay as they are)
    if v_result ? v_field
       and v_result -> v_field not in ('"changed"', '"[redacted]"', '"[encrypted]"') then
      v_result := jsonb_set(v_result, array[v_field],
                            private.seal_personal(v_result -> v_field, v_key));
    end if;
  end loop;
  return v_result;
end
$$;

-- ---------------------------------------------------------------------
-- De-identifying a report (erasure, retention) clears its Open311 contact.
-- ---------------------------------------------------------------------
create or replace function private.deidentify_tickets(p_ticket_ids uuid[]) returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.tickets t
     set reporter_id = null,
         description = case when t.is_sensitive then null else '[removed]' end,
         encrypted_description = null,
         address = null,
         location = case when t.location is null then null else extensions.st_snaptogrid(
                      t.location::extensions.geometry, 0.01)::extensions.geography end,
         deidentified_at = now()
   where t.id = any (p_ticket_ids) and t.deidentified_at is null;
  get diagnostics v_count = row_count;
  -- What an Open311 client sent about the reporter goes with the report's details.
  update public.open311_submissions s set contact = '{}'::jsonb, media_url = null
   where s.ticket_id = any (p_ticket_ids) and (s.contact <> '{}'::jsonb or s.media_url is not null);
  return v_count;
end
$$;

-- ---------------------------------------------------------------------
-- A person's profile going (erasure) takes every Open311 contact that
-- named their phone number or email with it. A trigger, not a line in
-- erase_person, so no later path that removes a person can forget it.
-- ---------------------------------------------------------------------
create function private.forget_open311_contacts() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_email text;
begin
  select lower(u.email) into v_email from auth.users u where u.id = old.id;
  update public.open311_submissions s set contact = '{}'::jsonb, media_url = null
   where s.tenant_id = old.tenant_id and s.contact <> '{}'::jsonb
     and ((old.phone is not null and private.e164(s.contact ->> 'phone') = old.phone)
          or (v_email is not null and lower(s.contact ->> 'email') = v_email));
  return old;
end
$$;

create trigger forget_open311_contacts before delete on public.profiles
  for each row execute function private.forget_open311_contacts();

revoke all on function private.e164(text), private.forget_open311_contacts()
  from public, anon, authenticated, service_role;
