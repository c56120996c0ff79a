-- 0011 POPIA undone, in reverse order.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.unschedule(j.jobname) from cron.job j
     where j.jobname in ('salga-retention', 'salga-data-requests-overdue');
  end if;
end
$$;

drop trigger if exists never_to_restricted on public.notification_outbox;
drop function if exists private.drop_restricted_notifications();
drop function if exists private.apply_retention(boolean, timestamptz);
drop function if exists public.verified_private_reports();
drop function if exists public.data_subject_bundle(uuid);
drop function if exists public.erase_person(uuid);
drop function if exists private.erase_person(uuid);
drop function if exists private.deidentify_tickets(uuid[]);
drop function if exists private.forget_ticket_media(uuid[], text);
drop function if exists private.storage_removal_done(bigint, text);
drop function if exists private.storage_removals_due(integer);
drop function if exists private.queue_storage_removal(text, text, text);
drop table if exists private.storage_removals;
drop function if exists private.retention_for(uuid, text);
drop table if exists public.retention_policies;
alter table public.profiles drop column if exists restricted_at;
alter table public.tickets drop constraint if exists some_description;
alter table public.tickets add constraint some_description
  check (description is not null or encrypted_description is not null) not valid;
alter table public.tickets drop column if exists deidentified_at,
  drop column if exists legal_hold;
drop table if exists public.operators_register;
drop table if exists public.breach_register;
drop function if exists private.escalate_overdue_data_requests(timestamptz);
drop table if exists public.data_subject_requests;
drop function if exists private.apply_data_request_outcome();
drop function if exists private.guard_data_request_changes();
drop function if exists private.open_data_request();

-- The audit trigger as 0003 wrote it.
create or replace function private.audit_row() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new_row, v_old_row);
  v_old jsonb;
  v_new jsonb;
  v_key text;
  v_record_id text;
  v_sensitive boolean;
  v_ticket_sensitive boolean;
  v_redact text[] := '{}';
  v_at timestamptz := now();
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  v_partition text := 'private.audit_log_' || to_char(now() at time zone 'UTC', 'YYYY_MM');
begin
  if tg_op = 'INSERT' then
    v_new := v_new_row;
  elsif tg_op = 'DELETE' then
    v_old := v_old_row;
  else
    select jsonb_object_agg(n.key, n.value), jsonb_object_agg(n.key, v_old_row -> n.key)
      into v_new, v_old
      from jsonb_each(v_new_row) n
     where n.value is distinct from v_old_row -> n.key
       and n.key not in ('updated_at', 'updated_by', 'last_inbound_at');
    if v_new is null then
      return null;  -- nothing but the timestamps changed
    end if;
  end if;

  v_sensitive := coalesce((v_new_row ->> 'is_sensitive')::boolean, false)
              or coalesce((v_old_row ->> 'is_sensitive')::boolean, false)
              or coalesce(v_row ->> 'bucket', '') = 'gbv-evidence'
              or tg_table_name = 'media_access_log'
              or (tg_table_name = 'whatsapp_conversations'
                  and 'gbv' in (coalesce(v_new_row ->> 'category', ''),
                                coalesce(v_old_row ->> 'category', '')));
  if not v_sensitive and v_row ->> 'ticket_id' is not null then
    select t.is_sensitive into v_ticket_sensitive
      from public.tickets t where t.id = (v_row ->> 'ticket_id')::uuid;
    v_sensitive := coalesce(v_ticket_sensitive, true);
  end if;

  -- Columns whose content never enters the log.
  if tg_table_name = 'whatsapp_conversations' and v_sensitive then
    v_redact := array['address', 'latitude', 'longitude'];
  elsif tg_table_name = 'whatsapp_inbound_messages' then
    v_redact := array['reply'];
  end if;
  for v_key in
    select k from jsonb_object_keys(coalesce(v_new, v_old)) k
     where k like 'encrypted\_%' or k = any (v_redact)
  loop
    if tg_op = 'UPDATE' then
      v_new := jsonb_set(v_new, array[v_key], '"changed"');
      v_old := jsonb_set(v_old, array[v_key], '"changed"');
    elsif tg_op = 'INSERT' and v_new ->> v_key is not null then
      v_new := jsonb_set(v_new, array[v_key], to_jsonb(case when v_key like 'encrypted\_%'
                                                           then '[encrypted]' else '[redacted]' end));
    elsif tg_op = 'DELETE' and v_old ->> v_key is not null then
      v_old := jsonb_set(v_old, array[v_key], to_jsonb(case when v_key like 'encrypted\_%'
                                                           then '[encrypted]' else '[redacted]' end));
    end if;
  end loop;

  if tg_nargs > 0 then
    select string_agg(v_row ->> a, '/' order by o) into v_record_id
      from unnest(tg_argv) with ordinality as t(a, o);
  else
    v_record_id := v_row ->> 'id';
  end if;

  if to_regclass(v_partition) is null then
    perform private.ensure_audit_partition(v_at);
  end if;
  insert into public.audit_log (at, tenant_id, actor_id, actor_role, operation, table_name,
                                record_id, old_values, new_values, is_sensitive,
                                client_ip, user_agent, reason)
  values (v_at,
          case when tg_table_name = 'municipalities' then (v_row ->> 'id')::uuid
               else (v_row ->> 'tenant_id')::uuid end,
          -- = private.actor_id() and the token's role, read once here
          coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                   v_claims ->> 'sub')::uuid,
          coalesce(nullif(v_claims -> 'app_metadata' ->> 'role', ''), v_claims ->> 'role',
                   'system'),
          tg_op, tg_table_name, v_record_id, v_old, v_new, v_sensitive,
          nullif(current_setting('app.client_ip', true), ''),
          left(nullif(current_setting('app.user_agent', true), ''), 512),
          left(nullif(current_setting('salga.change_reason', true), ''), 500));
  return null;
end
$$;


drop function if exists private.audit_personal_fields(text, jsonb, jsonb);
drop function if exists private.reveal_personal(text);
drop function if exists private.seal_personal(jsonb, private.personal_keys);
drop function if exists private.personal_key(uuid, text);
drop function if exists private.phone_digest(text);
drop table if exists private.personal_keys;

drop trigger if exists require_notice_acknowledged on public.tickets;
drop function if exists private.require_notice_acknowledged();
drop function if exists private.acknowledged_current_notice(uuid, uuid);
drop trigger if exists check_consent_notice on public.consent_records;
drop function if exists private.check_consent_notice();
alter table public.notification_outbox drop column if exists template_id;
alter table public.whatsapp_inbound_messages drop column if exists template_ids;
alter table public.consent_records drop column if exists notice_template_id;

drop function if exists public.privacy_notice(text, text);
drop table if exists public.message_templates;
drop table if exists public.message_template_keys;
drop function if exists private.guard_template_changes();
drop function if exists private.prepare_template_version();
drop function if exists private.template_variables(text);
drop function if exists private.current_template_id(uuid, text, text);
