-- =====================================================================
-- 0016 The duty to protect children, undone (reverse order of the upgrade)
-- =====================================================================

-- Schedule (only where the upgrade created it)
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.unschedule(jobid) from cron.job where jobname = 'salga-child-acknowledgement';
  end if;
end
$$;

-- Texts: the earlier emergency wording approved again, the new keys gone.
alter table public.message_templates disable trigger guard_template_changes;
delete from public.message_templates
 where tenant_id is null and template_key = 'emergency' and body like '%Childline%116%';
update public.message_templates m set status = 'approved', retired_at = null
 where m.tenant_id is null and m.template_key = 'emergency' and m.status = 'retired'
   and m.version = (select max(o.version) from public.message_templates o
                     where o.tenant_id is null and o.template_key = 'emergency'
                       and o.language = m.language)
   and not exists (select 1 from public.message_templates a
                    where a.tenant_id is null and a.template_key = 'emergency'
                      and a.language = m.language and a.status = 'approved');
alter table public.message_templates enable trigger guard_template_changes;
delete from public.message_templates
 where template_key in ('child_notice', 'child_question', 'child_noted', 'child_case_escalated');
delete from public.message_template_keys
 where template_key in ('child_notice', 'child_question', 'child_noted', 'child_case_escalated');

-- Topics as 0008 left them.
create or replace function private.may_receive_topic(channel text) returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(
    case
      when channel = 'municipality:' || (select private.tenant_id())::text
        then (select private.sees_all_non_sensitive())
      when channel = 'gbv:' || (select private.tenant_id())::text
        then (select private.sees_sensitive())
      when channel like 'team:%'
        then (select private.app_role()) = 'field_worker'
             and private.team_in_my_tenant(private.as_uuid(substr(channel, 6)), false)
             and private.as_uuid(substr(channel, 6)) = any ((select private.my_team_ids())::uuid[])
      else false
    end,
    false)
$$;

-- Escalations
drop function if exists private.escalate_unacknowledged_child_cases(timestamptz);
drop trigger if exists child_alerts_only_to_staff on public.notification_outbox;
drop function if exists private.child_alerts_only_to_staff();
drop table if exists public.child_case_escalations;
drop function if exists private.backup_liaison(uuid, uuid);
alter table public.team_members drop column if exists is_backup;

-- Referrals, and the audit's personal fields as 0011 left them.
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

drop trigger if exists deidentify_child_referral on public.tickets;
drop function if exists private.deidentify_child_referral();
drop trigger if exists open_child_referral on public.protected_casework;
drop function if exists private.open_child_referral();
drop table if exists public.dsd_referrals;
drop function if exists private.guard_dsd_referral();

-- Casework
drop trigger if exists start_child_case_clock on public.protected_casework;
drop function if exists private.start_child_case_clock();
drop index if exists public.protected_casework_child_waiting_idx;
alter table public.protected_casework
  drop column if exists child_involved,
  drop column if exists child_flagged_at,
  drop column if exists child_flagged_by,
  drop column if exists acknowledge_by,
  drop column if exists child_escalated_at;

-- Conversation
drop trigger if exists forget_child_answer_with_the_draft on public.whatsapp_conversations;
drop function if exists private.forget_child_answer_with_the_draft();
update public.whatsapp_conversations set state = 'description' where state = 'child';
alter table public.whatsapp_conversations drop constraint whatsapp_conversations_state_check;
alter table public.whatsapp_conversations add constraint whatsapp_conversations_state_check
  check (state in ('language', 'consent', 'menu', 'sensitive_consent', 'description',
                   'location', 'photos', 'confirm', 'duplicate', 'opted_out'));
alter table public.whatsapp_conversations drop column if exists child_involved;
