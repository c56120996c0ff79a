-- Undo 0022: contacts back in clear in the audit, untouched by erasure.
drop trigger if exists forget_open311_contacts on public.profiles;
drop function if exists private.forget_open311_contacts();

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
  return v_count;
end
$$;

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

drop function if exists private.e164(text);
