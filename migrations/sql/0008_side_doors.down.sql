-- =====================================================================
-- 0008 Side doors, undone: the rules of 0001-0007 as they were.
-- Privileges revoked by 0008 (TRUNCATE, REFERENCES, TRIGGER, sequences,
-- anon's table grants) stay revoked: no code of ours ever needed them.
-- =====================================================================

do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.unschedule(jobid) from cron.job where jobname = 'salga-audit-seal';
    if obj_description((select oid from pg_extension where extname = 'pg_cron'), 'pg_extension')
       = 'Job scheduler (installed by migration 0008).' then
      drop extension pg_cron;
    end if;
  end if;
end
$$;

-- 11. Delivery callbacks, phones
drop index public.profiles_tenant_phone_idx;
drop index public.notification_delivery_events_sid_status_idx;
create or replace function private.record_delivery_status(
  p_message_sid text, p_status text, p_error_code text
) returns boolean
language plpgsql
set search_path = ''
as $$
declare
  target bigint;
  mapped text := case p_status
    when 'read' then 'delivered'
    when 'accepted' then 'sent'
    when 'queued' then 'sent'
    when 'sending' then 'sent'
    else p_status end;
  rank_of jsonb := '{"sent": 1, "undelivered": 2, "failed": 2, "delivered": 3}';
begin
  select o.id into target from public.notification_outbox o where o.message_sid = p_message_sid;
  insert into public.notification_delivery_events (message_sid, outbox_id, status, error_code)
  values (p_message_sid, target, p_status, p_error_code);
  if target is null then
    return false;
  end if;
  if rank_of ? mapped then
    update public.notification_outbox o
       set status = mapped,
           last_error = coalesce(nullif(p_error_code, ''), o.last_error)
     where o.id = target
       and coalesce((rank_of ->> o.status)::int, 0) < (rank_of ->> mapped)::int;
  end if;
  return true;
end
$$;

-- 10. Audit trail
drop trigger audit_row on public.whatsapp_conversations;
drop trigger audit_row on public.whatsapp_inbound_messages;
drop trigger audit_row on public.whatsapp_media_jobs;
drop trigger audit_row on public.whatsapp_templates;
drop trigger audit_row on public.notification_delivery_events;
drop trigger audit_row on public.media_access_log;
create or replace function public.set_ticket_status(p_ticket_id uuid, p_status text,
  p_reason text default null) returns text
language plpgsql
set search_path = ''
as $$
declare
  v_current text;
begin
  select status into v_current from public.tickets
   where id = p_ticket_id and tenant_id = private.tenant_id() for update;
  if not found then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  if v_current = p_status then
    raise exception 'the ticket is already %', p_status using errcode = 'SA409';
  end if;
  perform set_config('salga.change_reason', coalesce(p_reason, ''), true);
  update public.tickets
     set status = p_status,
         escalation_reason = case when p_status = 'escalated'
                                  then coalesce(p_reason, 'escalated by staff')
                                  else escalation_reason end
   where id = p_ticket_id;
  if not found then
    -- Visible but not updatable by this caller (e.g. a citizen).
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  return p_status;
end
$$;
create or replace function private.ticket_audit_entries(p_ticket_id uuid)
returns table (at timestamptz, action text, actor_id uuid, details jsonb)
language sql stable security definer
set search_path = ''
as $$
  select r.read_at, 'decrypted_read', r.actor_id,
         jsonb_build_object('role', r.actor_role, 'client_ip', r.client_ip)
    from private.sensitive_reads r
   where r.ticket_id = p_ticket_id and private.can_see_ticket(p_ticket_id)
   order by r.read_at, r.id
$$;
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
       and n.key not in ('updated_at', 'updated_by');
    if v_new is null then
      return null;  -- nothing but the timestamps changed
    end if;
  end if;

  -- Encrypted columns: never their ciphertext.
  for v_key in
    select k from jsonb_object_keys(coalesce(v_new, v_old)) k where k like 'encrypted\_%'
  loop
    if tg_op = 'UPDATE' then
      v_new := jsonb_set(v_new, array[v_key], '"changed"');
      v_old := jsonb_set(v_old, array[v_key], '"changed"');
    elsif tg_op = 'INSERT' and v_new ->> v_key is not null then
      v_new := jsonb_set(v_new, array[v_key], '"[encrypted]"');
    elsif tg_op = 'DELETE' and v_old ->> v_key is not null then
      v_old := jsonb_set(v_old, array[v_key], '"[encrypted]"');
    end if;
  end loop;

  if tg_nargs > 0 then
    select string_agg(v_row ->> a, '/' order by o) into v_record_id
      from unnest(tg_argv) with ordinality as t(a, o);
  else
    v_record_id := v_row ->> 'id';
  end if;

  v_sensitive := coalesce((v_new_row ->> 'is_sensitive')::boolean, false)
              or coalesce((v_old_row ->> 'is_sensitive')::boolean, false)
              or coalesce(v_row ->> 'bucket', '') = 'gbv-evidence';
  if not v_sensitive and v_row ->> 'ticket_id' is not null then
    select t.is_sensitive into v_ticket_sensitive
      from public.tickets t where t.id = (v_row ->> 'ticket_id')::uuid;
    v_sensitive := coalesce(v_ticket_sensitive, true);
  end if;

  if to_regclass(v_partition) is null then
    perform private.ensure_audit_partition(v_at);
  end if;
  insert into public.audit_log (at, tenant_id, actor_id, actor_role, operation, table_name,
                                record_id, old_values, new_values, is_sensitive,
                                client_ip, user_agent)
  values (v_at,
          case when tg_table_name = 'municipalities' then (v_row ->> 'id')::uuid
               else (v_row ->> 'tenant_id')::uuid end,
          -- = private.actor_id() and private.app_role(), read once here
          coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                   v_claims ->> 'sub')::uuid,
          coalesce(nullif(v_claims -> 'app_metadata' ->> 'role', ''), v_claims ->> 'role',
                   'system'),
          tg_op, tg_table_name, v_record_id, v_old, v_new, v_sensitive,
          nullif(current_setting('app.client_ip', true), ''),
          left(nullif(current_setting('app.user_agent', true), ''), 512));
  return null;
end
$$;
create or replace function private.refuse_audit_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'the audit log is append-only: % is not allowed', lower(tg_op)
    using errcode = 'SA403';
end
$$;
drop function private.verify_audit_chain();
drop function private.seal_audit_log();
drop function private.audit_entry_hash(text, public.audit_log);
do $$
begin
  execute 'drop policy "The owner''s functions read the audit trail" on public.audit_log';
  execute 'drop policy "The owner''s sealer seals unsealed entries" on public.audit_log';
end
$$;
drop index public.audit_log_unsealed_idx;
alter table public.audit_log drop column entry_hash, drop column prev_hash,
  drop column chain_seq, drop column reason;

-- 8. Files served before their check
grant execute on function private.is_quarantined(text, text) to authenticated;
drop policy "Users read checked evidence in their own folder or of ordinary tickets they see"
  on storage.objects;
drop policy "Users read their own checked documents; managers and admins their municipality's"
  on storage.objects;
drop policy "SAPS liaisons and admins read their municipality's checked sensitive evidence"
  on storage.objects;
create policy "Users read evidence in their own folder or of ordinary tickets they see"
  on storage.objects for select to authenticated
  using (bucket_id = 'evidence'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and ((storage.foldername(name))[2] = (select auth.uid())::text
              or private.storage_ticket_folder((storage.foldername(name))[2], false))
         and not private.is_quarantined(bucket_id, name));
create policy "Users read their own documents; managers and admins their municipality's"
  on storage.objects for select to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and ((storage.foldername(name))[2] = (select auth.uid())::text
              or (select private.app_role()) in ('manager', 'admin'))
         and not private.is_quarantined(bucket_id, name));
create policy "SAPS liaisons and admins read their municipality's sensitive evidence"
  on storage.objects for select to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.app_role()) in ('saps_liaison', 'admin')
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and not private.is_quarantined(bucket_id, name));
drop policy "SAPS liaisons and admins add sensitive evidence to their municipality's reports" on storage.objects;
create policy "SAPS liaisons and admins add sensitive evidence to their municipality's reports"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'gbv-evidence'
              and (select private.app_role()) in ('saps_liaison', 'admin')
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and private.storage_ticket_folder((storage.foldername(name))[2], true));
drop policy "SAPS liaisons and admins replace their municipality's sensitive evidence" on storage.objects;
create policy "SAPS liaisons and admins replace their municipality's sensitive evidence"
  on storage.objects for update to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.app_role()) in ('saps_liaison', 'admin')
         and (storage.foldername(name))[1] = (select private.tenant_id())::text)
  with check (bucket_id = 'gbv-evidence'
              and (select private.app_role()) in ('saps_liaison', 'admin')
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and private.storage_ticket_folder((storage.foldername(name))[2], true));
drop policy "SAPS liaisons and admins delete their municipality's sensitive evidence" on storage.objects;
create policy "SAPS liaisons and admins delete their municipality's sensitive evidence"
  on storage.objects for delete to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.app_role()) in ('saps_liaison', 'admin')
         and (storage.foldername(name))[1] = (select private.tenant_id())::text);
drop function private.may_serve_object(text, text, text);

-- 7. Assignment history
grant insert, update on public.ticket_assignments to authenticated;
create policy "Managers, liaisons and admins record assignments of tickets they can see"
  on public.ticket_assignments for insert to authenticated
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) in ('manager', 'admin', 'saps_liaison')
              and private.can_see_ticket(ticket_id)
              and (team_id is null or private.team_in_my_tenant(team_id))
              and (assigned_to is null or private.profile_in_my_tenant(assigned_to)));
create policy "Managers, liaisons and admins close assignments of tickets they can see"
  on public.ticket_assignments for update to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) in ('manager', 'admin', 'saps_liaison')
         and private.can_see_ticket(ticket_id))
  with check (tenant_id = (select private.tenant_id()));

-- 6. Realtime topics
create or replace function private.broadcast_ticket_change() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object(
      'id', new.id, 'tracking_number', new.tracking_number, 'status', new.status,
      'category', new.category, 'assigned_team_id', new.assigned_team_id,
      'sla_status', public.sla_status(new), 'operation', tg_op),
    'ticket_changed',
    case when new.is_sensitive then 'gbv:' else 'municipality:' end || new.tenant_id::text,
    true);
  return null;
end
$$;
create or replace function private.may_receive_topic(channel text) returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(
    case
      when channel = 'municipality:' || (select private.tenant_id())::text
        then (select private.app_role()) in ('field_worker', 'manager', 'admin', 'saps_liaison')
      when channel = 'gbv:' || (select private.tenant_id())::text
        then (select private.app_role()) in ('saps_liaison', 'admin')
      else false
    end,
    false)
$$;

-- 5. Ciphertext
drop function private.file_protected_report(uuid, uuid, uuid, text, text, double precision,
  double precision, text, text, text);
grant insert (encrypted_description) on public.tickets to authenticated;

-- 4. SLA policies
drop policy "Managers and admins manage their municipality's ordinary SLA policies"
  on public.sla_policies;
drop policy "SAPS liaisons and admins manage their municipality's GBV SLA policy"
  on public.sla_policies;
create policy "Managers and admins manage their municipality's SLA policies"
  on public.sla_policies for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_all_non_sensitive()))
  with check (tenant_id = (select private.tenant_id())
              and (select private.sees_all_non_sensitive()));

-- 3. Who sees whom
grant execute on function private.assign_tracking_number(), private.enforce_sensitive_routing(),
  private.stamp_row(), private.keep_sensitive(), private.guard_profile_changes(),
  private.guard_ticket_changes() to authenticated;
create or replace function private.team_in_my_tenant(p_team_id uuid, p_saps boolean default null)
returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.teams t
     where t.id = p_team_id
       and t.tenant_id = (select private.tenant_id())
       and (p_saps is null or t.is_saps = p_saps)
  )
$$;
create or replace function private.profile_in_my_tenant(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = p_user_id and p.tenant_id = (select private.tenant_id())
  )
$$;
grant execute on function private.sla_policy_for(uuid, text) to authenticated;
create or replace function private.log_media_access(p_media_id uuid) returns void
language sql security definer
set search_path = ''
as $$
  insert into public.media_access_log (tenant_id, media_id, user_id)
  select m.tenant_id, m.id, (select auth.uid()) from public.media_attachments m
   where m.id = p_media_id and (select auth.uid()) is not null
$$;
drop policy "Admins read their municipality's profiles" on public.profiles;
drop policy "Managers read their municipality's staff and the residents they serve"
  on public.profiles;
create policy "Managers and admins read their municipality's profiles"
  on public.profiles for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.sees_all_non_sensitive()));
drop function private.reported_ordinary_ticket(uuid);
create or replace function private.reported_sensitive_ticket(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.tickets t
     where t.reporter_id = p_user_id
       and t.tenant_id = (select private.tenant_id())
       and t.is_sensitive
  )
$$;

-- 2. Tracking numbers
drop trigger take_tracking_number_last on public.tickets;
create or replace function private.assign_tracking_number() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_year integer := extract(year from now() at time zone 'Africa/Johannesburg')::integer;
  v_next bigint;
  v_code text;
begin
  select code into v_code from public.municipalities where id = new.tenant_id;
  insert into private.tracking_counters as c (tenant_id, year, last_value)
  values (new.tenant_id, v_year, 1)
  on conflict (tenant_id, year) do update set last_value = c.last_value + 1
  returning last_value into v_next;
  new.tracking_number := format('%s-%s-%s', v_code, v_year, lpad(v_next::text, 6, '0'));
  return new;
end
$$;
create trigger assign_tracking_number before insert on public.tickets
  for each row execute function private.assign_tracking_number();
drop function private.random_reference(integer);

-- 1. The caller
alter policy "Users read their own profile" on public.profiles
  using (id = (select auth.uid()));
alter policy "Users update their own profile" on public.profiles
  using (id = (select auth.uid()) and deleted_at is null)
  with check (id = (select auth.uid()));
create or replace function private.can_see_ticket(p_ticket_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.tickets t
     where t.id = p_ticket_id
       and t.tenant_id = (select private.tenant_id())
       and case
             when t.is_sensitive then (select private.sees_sensitive())
             when (select private.sees_all_non_sensitive()) then true
             when private.app_role() = 'field_worker'
               then t.assigned_team_id = any (private.my_team_ids())
             when private.app_role() = 'citizen'
               then t.reporter_id = (select auth.uid())
             else false
           end
  )
$$;
create or replace function private.tenant_id() returns uuid
language sql stable
set search_path = ''
as $$
  select nullif((select auth.jwt()) -> 'app_metadata' ->> 'tenant_id', '')::uuid
$$;
create or replace function private.app_role() returns text
language sql stable
set search_path = ''
as $$
  select nullif((select auth.jwt()) -> 'app_metadata' ->> 'role', '')
$$;
-- Only the table's owner drops a trigger by name; dropping its function takes it along.
drop function private.refuse_api_truncate() cascade;
drop function private.caller();
drop function private.schedule(text, text, text);

alter default privileges grant execute on functions to public;
