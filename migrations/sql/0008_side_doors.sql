-- =====================================================================
-- 0008 Side doors
-- Closes the ways around the access model that an attack on every surface
-- (API, Storage, Realtime, webhooks, SQL as `anon`/`authenticated`) found:
--   1. the caller: a deactivated or deleted account, or a token whose
--      municipality or role no longer matches the profile, is nobody;
--   2. tracking numbers: ordinary reports count gap-free on their own,
--      protected reports get an unguessable reference;
--   3. who sees whom: people whose only reports are protected are hidden
--      from managers; helpers answer only about rows the caller can read;
--   4. SLA policies of protected reports are the liaisons' and admins';
--   5. ciphertext is written only by the app that holds the key;
--   6. live events reach only those who may read the ticket (team topics);
--   7. assignment history is written by the database alone;
--   8. files are served only once their check has passed;
--   9. privileges nobody needs (TRUNCATE, sequences, REFERENCES, TRIGGER);
--  10. the audit trail: every table, the reason of a change, a hash chain
--      that makes tampering detectable (`salga audit verify`);
--  11. delivery callbacks are idempotent; a phone is a person per
--      municipality.
-- Policies name roles through the private helpers (sees_sensitive(),
-- sees_all_non_sensitive(), is_staff()), never as hand-written lists.
-- =====================================================================

-- New functions in `private` are not callable by everyone by default; each
-- one below is granted to exactly the roles that need it.
-- (Schema-level defaults only add to the global ones, so this is global: it
-- holds for functions this role creates anywhere; public's are granted to the
-- API roles by Supabase's own default privileges.)
alter default privileges revoke execute on functions from public;

-- ---------------------------------------------------------------------
-- One pg_cron helper: schedules a job where the cluster runs pg_cron (its
-- database only; test databases and projects without it skip quietly).
-- ---------------------------------------------------------------------
create function private.schedule(p_job text, p_cron text, p_command text) returns void
language plpgsql
set search_path = ''
as $$
begin
  if current_database() = coalesce(current_setting('cron.database_name', true), '')
     and exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    if not exists (select 1 from pg_extension where extname = 'pg_cron') then
      create extension pg_cron;
      comment on extension pg_cron is 'Job scheduler (installed by migration 0008).';
    end if;
    execute format('select cron.schedule(%L, %L, %L)', p_job, p_cron, p_command);
  end if;
end
$$;
revoke all on function private.schedule(text, text, text) from public, anon, authenticated;

-- =====================================================================
-- 1. The caller
-- =====================================================================
-- Who is calling, as the database knows them now: the token's user, only
-- while their profile is active, not deleted, of an active municipality,
-- and still of the municipality and role the token names. Anything else
-- (deactivated, deleted, demoted, moved) is nobody: every policy, helper,
-- Storage and Realtime check built on tenant_id()/app_role() stops on the
-- next statement, without waiting for the token to expire. Policies call
-- it as an init plan (`(select private.tenant_id())`): once per statement.
-- PL/pgSQL, not SQL: its query plan is kept for the session, where a
-- non-inlinable SQL function would be planned again in every statement.
create function private.caller(out user_id uuid, out tenant_id uuid, out role text)
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  v_sub uuid := coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                         v_claims ->> 'sub')::uuid;
begin
  if v_sub is null then
    return;
  end if;
  select p.id, p.tenant_id, p.role into user_id, tenant_id, role
    from public.profiles p
    join public.municipalities m on m.id = p.tenant_id and m.is_active
   where p.id = v_sub
     and p.tenant_id = nullif(v_claims -> 'app_metadata' ->> 'tenant_id', '')::uuid
     and p.role = nullif(v_claims -> 'app_metadata' ->> 'role', '')
     and p.is_active and p.deleted_at is null;
end
$$;
revoke all on function private.caller() from public, anon;
grant execute on function private.caller() to authenticated, service_role;

create or replace function private.tenant_id() returns uuid
language plpgsql stable
set search_path = ''
as $$
begin
  return (private.caller()).tenant_id;
end
$$;

create or replace function private.app_role() returns text
language plpgsql stable
set search_path = ''
as $$
begin
  return (private.caller()).role;
end
$$;

-- A deactivated user no longer reads or edits even their own profile.
alter policy "Users read their own profile" on public.profiles
  using (id = (select auth.uid()) and tenant_id = (select private.tenant_id()));
alter policy "Users update their own profile" on public.profiles
  using (id = (select auth.uid()) and tenant_id = (select private.tenant_id())
         and deleted_at is null)
  with check (id = (select auth.uid()) and tenant_id = (select private.tenant_id()));

-- Ticket visibility for child tables, storage and RPCs: the caller is read
-- once per call (one profile lookup), not once per helper.
create or replace function private.can_see_ticket(p_ticket_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1
      from public.tickets t, private.caller() c
     where t.id = p_ticket_id
       and t.tenant_id = c.tenant_id
       and case
             when t.is_sensitive then c.role in ('saps_liaison', 'admin')
             when c.role in ('manager', 'admin') then true
             when c.role = 'field_worker'
               then t.assigned_team_id in (select tm.team_id from public.team_members tm
                                            where tm.user_id = c.user_id)
             when c.role = 'citizen' then t.reporter_id = c.user_id
             else false
           end
  )
$$;

-- =====================================================================
-- 2. Tracking numbers
-- =====================================================================
-- Ordinary reports: {code}-{year}-{6 digits}, gap-free per municipality and
-- year, counting ordinary reports only, so no gap betrays a protected one.
-- Protected reports: {code}-{year}-P{6 characters}, random (no I, O, 0 or
-- 1 to misread), from no counter at all. The counter row is locked by the
-- last BEFORE INSERT trigger (named to sort last) and protected reports
-- never take it.
create function private.random_reference(p_length integer) returns text
language sql volatile
set search_path = ''
as $$
  -- The first six bytes of a version-4 UUID are all random; 256 is a
  -- multiple of 32, so every character is equally likely.
  select string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ',
                           get_byte(b.bytes, i) % 32 + 1, 1), '' order by i)
    from (select uuid_send(gen_random_uuid()) as bytes) b,
         generate_series(0, least(p_length, 6) - 1) i
$$;

create or replace function private.assign_tracking_number() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_year integer := extract(year from now() at time zone 'Africa/Johannesburg')::integer;
  v_next bigint;
  v_code text;
  v_ref text;
begin
  select code into v_code from public.municipalities where id = new.tenant_id;
  if new.is_sensitive then
    loop
      v_ref := format('%s-%s-P%s', v_code, v_year, private.random_reference(6));
      exit when not exists (select 1 from public.tickets t where t.tracking_number = v_ref);
    end loop;
    new.tracking_number := v_ref;
    return new;
  end if;
  insert into private.tracking_counters as c (tenant_id, year, last_value)
  values (new.tenant_id, v_year, 1)
  on conflict (tenant_id, year) do update set last_value = c.last_value + 1
  returning last_value into v_next;
  new.tracking_number := format('%s-%s-%s', v_code, v_year, lpad(v_next::text, 6, '0'));
  return new;
end
$$;

drop trigger assign_tracking_number on public.tickets;
create trigger take_tracking_number_last before insert on public.tickets
  for each row execute function private.assign_tracking_number();

-- =====================================================================
-- 3. Who sees whom; helpers answer only about what the caller may read
-- =====================================================================
-- Did this user file a protected report in the caller's municipality?
-- Answers only SAPS liaisons and admins (who see those reports anyway).
create or replace function private.reported_sensitive_ticket(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select (select private.sees_sensitive()) and exists (
    select 1 from public.tickets t
     where t.reporter_id = p_user_id
       and t.tenant_id = (select private.tenant_id())
       and t.is_sensitive
  )
$$;

-- Does this resident have an ordinary report in the caller's municipality?
-- Answers only managers and admins (who see those reports anyway).
create function private.reported_ordinary_ticket(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select (select private.sees_all_non_sensitive()) and exists (
    select 1 from public.tickets t
     where t.reporter_id = p_user_id
       and t.tenant_id = (select private.tenant_id())
       and not t.is_sensitive
  )
$$;
revoke all on function private.reported_ordinary_ticket(uuid) from public, anon;
grant execute on function private.reported_ordinary_ticket(uuid) to authenticated, service_role;

-- Managers see staff and the residents they serve (an ordinary report, or a
-- residence verification); a person whose only reports are protected — or
-- who is still in the middle of filing one over WhatsApp — is not theirs.
drop policy "Managers and admins read their municipality's profiles" on public.profiles;
create policy "Admins read their municipality's profiles"
  on public.profiles for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Managers read their municipality's staff and the residents they serve"
  on public.profiles for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.sees_all_non_sensitive())
         and (role <> 'citizen' or verification_status is not null
              or private.reported_ordinary_ticket(id)));

-- The GBV media access log: only for media of the caller's municipality
-- that the caller may see.
create or replace function private.log_media_access(p_media_id uuid) returns void
language sql security definer
set search_path = ''
as $$
  insert into public.media_access_log (tenant_id, media_id, user_id)
  select m.tenant_id, m.id, (select auth.uid()) from public.media_attachments m
   where m.id = p_media_id and (select auth.uid()) is not null
     and m.tenant_id = (select private.tenant_id())
     and (m.ticket_id is null or private.can_see_ticket(m.ticket_id))
$$;

-- Team and profile membership answer only staff (the policies that use
-- them are for managers, admins and field workers); a citizen cannot probe
-- which ids are people or teams of the municipality.
create or replace function private.team_in_my_tenant(p_team_id uuid, p_saps boolean default null)
returns boolean
language sql stable security definer
set search_path = ''
as $$
  select (select private.is_staff()) and exists (
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
  select (select private.is_staff()) and exists (
    select 1 from public.profiles p
     where p.id = p_user_id and p.tenant_id = (select private.tenant_id())
  )
$$;

-- Trigger functions and internal helpers are nobody's to call.
revoke execute on function private.assign_tracking_number(), private.enforce_sensitive_routing(),
  private.stamp_row(), private.keep_sensitive(), private.guard_profile_changes(),
  private.guard_ticket_changes(), private.random_reference(integer)
  from public, authenticated;

-- The SLA policy lookup is for the lifecycle triggers (which run as the
-- owner), not for callers: it would read any municipality's policy.
revoke execute on function private.sla_policy_for(uuid, text) from authenticated;

-- =====================================================================
-- 4. SLA policies: protected categories are the liaisons' and admins'
-- =====================================================================
drop policy "Managers and admins manage their municipality's SLA policies"
  on public.sla_policies;
create policy "Managers and admins manage their municipality's ordinary SLA policies"
  on public.sla_policies for all to authenticated
  using (tenant_id = (select private.tenant_id()) and category <> 'gbv'
         and (select private.sees_all_non_sensitive()))
  with check (tenant_id = (select private.tenant_id()) and category <> 'gbv'
              and (select private.sees_all_non_sensitive()));
create policy "SAPS liaisons and admins manage their municipality's GBV SLA policy"
  on public.sla_policies for all to authenticated
  using (tenant_id = (select private.tenant_id()) and category = 'gbv'
         and (select private.sees_sensitive()))
  with check (tenant_id = (select private.tenant_id()) and category = 'gbv'
              and (select private.sees_sensitive()));

-- =====================================================================
-- 5. Ciphertext is written only by the app that holds the key
-- =====================================================================
-- Users cannot write encrypted_description (so cannot file a protected
-- report with made-up ciphertext through the Data API); the app files
-- protected reports through this function, which only the service role may
-- call. When it acts for a signed-in user (claims with a subject), that user
-- must be an active citizen of the municipality filing as themselves.
revoke insert (encrypted_description) on public.tickets from authenticated;

create function private.file_protected_report(
  p_id uuid, p_tenant_id uuid, p_reporter_id uuid, p_category text, p_ciphertext text,
  p_latitude double precision, p_longitude double precision, p_address text,
  p_language text, p_source text
) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_caller record;
begin
  if (select auth.uid()) is not null then
    select * into v_caller from private.caller();
    if v_caller.user_id is null or v_caller.role <> 'citizen'
       or v_caller.tenant_id <> p_tenant_id or p_reporter_id is distinct from v_caller.user_id then
      raise exception 'only a citizen of the municipality files a report, as themselves'
        using errcode = 'SA403';
    end if;
  end if;
  if p_ciphertext is null or p_ciphertext !~ '^gAAAAA[A-Za-z0-9_=-]+$' then
    raise exception 'a protected report needs its encrypted text' using errcode = 'SA422';
  end if;
  insert into public.tickets (id, tenant_id, reporter_id, category, description,
                              encrypted_description, is_sensitive, location, address,
                              language, source)
  values (p_id, p_tenant_id, p_reporter_id, p_category, null, p_ciphertext, true,
          case when p_latitude is null or p_longitude is null then null
               else extensions.st_setsrid(extensions.st_makepoint(p_longitude, p_latitude),
                                          4326)::extensions.geography end,
          p_address, p_language, p_source);
end
$$;
revoke all on function private.file_protected_report(uuid, uuid, uuid, text, text,
  double precision, double precision, text, text, text) from public, anon, authenticated;
grant execute on function private.file_protected_report(uuid, uuid, uuid, text, text,
  double precision, double precision, text, text, text) to service_role;

-- =====================================================================
-- 6. Live events reach only those who may read the ticket
-- =====================================================================
-- municipality:<tenant>  ordinary tickets: managers and admins (who read them all)
-- gbv:<tenant>           protected tickets: SAPS liaisons and admins
-- team:<team_id>         ordinary tickets of one team: its field workers
-- The same audiences as the tickets read policy, decided at join and on
-- every token refresh.
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

-- A team's topic hears of its tickets; a ticket that leaves a team tells
-- that team only that it left (its id), nothing about where it went.
create or replace function private.broadcast_ticket_change() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_payload jsonb := jsonb_build_object(
    'id', new.id, 'tracking_number', new.tracking_number, 'status', new.status,
    'category', new.category, 'assigned_team_id', new.assigned_team_id,
    'sla_status', public.sla_status(new), 'operation', tg_op);
begin
  if new.is_sensitive then
    perform realtime.send(v_payload, 'ticket_changed', 'gbv:' || new.tenant_id::text, true);
    return null;
  end if;
  perform realtime.send(v_payload, 'ticket_changed', 'municipality:' || new.tenant_id::text, true);
  if new.assigned_team_id is not null then
    perform realtime.send(v_payload, 'ticket_changed', 'team:' || new.assigned_team_id::text, true);
  end if;
  if tg_op = 'UPDATE' and old.assigned_team_id is not null
     and old.assigned_team_id is distinct from new.assigned_team_id then
    perform realtime.send(jsonb_build_object('id', new.id, 'operation', 'LEFT_TEAM'),
                          'ticket_changed', 'team:' || old.assigned_team_id::text, true);
  end if;
  return null;
end
$$;

-- =====================================================================
-- 7. Assignment history is written by the database alone
-- =====================================================================
-- Rows come from private.record_assignment() (on filing, routing and
-- assign_ticket), attributed to the real actor; no user writes them.
drop policy "Managers, liaisons and admins record assignments of tickets they can see"
  on public.ticket_assignments;
drop policy "Managers, liaisons and admins close assignments of tickets they can see"
  on public.ticket_assignments;
revoke insert, update on public.ticket_assignments from authenticated;

-- =====================================================================
-- 8. Files are served only once their check has passed
-- =====================================================================
-- A stored file is served when its post-upload check (type, EXIF/GPS
-- stripped) passed; before that only to whoever uploaded it. Answers only
-- about the caller's municipality.
-- Not security definer: it reads media_attachments through its policies, so
-- it answers only about files whose record the caller may read.
create function private.may_serve_object(p_bucket text, p_path text, p_owner_id text)
returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(
    (select m.scan_status = 'clean'
            or (m.scan_status = 'pending' and p_owner_id = (select auth.uid())::text)
       from public.media_attachments m
      where m.bucket = p_bucket and m.path = p_path
        and m.tenant_id = (select private.tenant_id())),
    -- No record yet: the upload itself, read back by its uploader (RETURNING).
    p_owner_id = (select auth.uid())::text)
$$;
revoke all on function private.may_serve_object(text, text, text) from public, anon;
grant execute on function private.may_serve_object(text, text, text) to authenticated, service_role;

drop policy "Users read evidence in their own folder or of ordinary tickets they see"
  on storage.objects;
create policy "Users read checked evidence in their own folder or of ordinary tickets they see"
  on storage.objects for select to authenticated
  using (bucket_id = 'evidence'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and ((storage.foldername(name))[2] = (select auth.uid())::text
              or private.storage_ticket_folder((storage.foldername(name))[2], false))
         and private.may_serve_object(bucket_id, name, owner_id));

drop policy "Users read their own documents; managers and admins their municipality's"
  on storage.objects;
create policy "Users read their own checked documents; managers and admins their municipality's"
  on storage.objects for select to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and ((storage.foldername(name))[2] = (select auth.uid())::text
              or (select private.sees_all_non_sensitive()))
         and private.may_serve_object(bucket_id, name, owner_id));

drop policy "SAPS liaisons and admins read their municipality's sensitive evidence"
  on storage.objects;
create policy "SAPS liaisons and admins read their municipality's checked sensitive evidence"
  on storage.objects for select to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.sees_sensitive())
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and private.may_serve_object(bucket_id, name, owner_id));
alter policy "SAPS liaisons and admins add sensitive evidence to their municipality's reports"
  on storage.objects
  with check (bucket_id = 'gbv-evidence'
              and (select private.sees_sensitive())
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and private.storage_ticket_folder((storage.foldername(name))[2], true));
alter policy "SAPS liaisons and admins replace their municipality's sensitive evidence"
  on storage.objects
  using (bucket_id = 'gbv-evidence'
         and (select private.sees_sensitive())
         and (storage.foldername(name))[1] = (select private.tenant_id())::text)
  with check (bucket_id = 'gbv-evidence'
              and (select private.sees_sensitive())
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and private.storage_ticket_folder((storage.foldername(name))[2], true));
alter policy "SAPS liaisons and admins delete their municipality's sensitive evidence"
  on storage.objects
  using (bucket_id = 'gbv-evidence'
         and (select private.sees_sensitive())
         and (storage.foldername(name))[1] = (select private.tenant_id())::text);

-- The quarantine lookup answered about any path; the policies above no
-- longer need it, and callers get no direct use of it.
revoke execute on function private.is_quarantined(text, text) from authenticated;

-- =====================================================================
-- 9. Privileges nobody of ours needs
-- =====================================================================
-- TRUNCATE ignores row-level security (one statement would empty every
-- municipality's files or messages); REFERENCES and TRIGGER let a user
-- hang objects off our tables; sequences are moved by identity columns
-- without any grant, and setting one to its maximum would stop every
-- write. Supabase grants all of these to anon and authenticated by default.
-- On a Supabase project the storage and realtime tables belong to their
-- servers' roles; what `postgres` may not revoke there is reported, not fatal
-- (tests/security/test_privileges.py proves the result locally).
do $$
declare
  v_rel record;
begin
  for v_rel in
    select c.oid::regclass as rel, c.relkind
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'storage', 'realtime') and c.relkind in ('r', 'p', 'S')
  loop
    begin
      if v_rel.relkind = 'S' then
        execute format('revoke all on sequence %s from anon, authenticated', v_rel.rel);
      else
        execute format('revoke truncate, references, trigger on %s from anon, authenticated',
                       v_rel.rel);
      end if;
    exception when insufficient_privilege then
      raise notice 'left as it is (not ours to change): %', v_rel.rel;
    end;
  end loop;
end
$$;
-- What `postgres` cannot revoke on Supabase's storage tables (their owner
-- granted it), a statement trigger refuses: TRUNCATE ignores RLS, so one
-- statement by any signed-in user would wipe every municipality's files.
-- (`postgres` holds TRIGGER there, on Supabase as here.) REFERENCES and
-- TRIGGER stay granted but are unusable: the API roles may create nothing in
-- any schema, so they can make neither a referencing table nor a trigger.
create function private.refuse_api_truncate() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    raise exception 'permission denied: % cannot truncate %.%', current_user,
      tg_table_schema, tg_table_name using errcode = '42501';
  end if;
  return null;
end
$$;
create trigger refuse_api_truncate before truncate on storage.objects
  for each statement execute function private.refuse_api_truncate();
create trigger refuse_api_truncate before truncate on storage.buckets
  for each statement execute function private.refuse_api_truncate();

-- Anonymous visitors use no table of ours at all. (Storage and Realtime
-- keep their SELECT for anon: their servers ask as anon and the policies
-- answer "nothing", as Supabase's own servers expect.)
revoke all on all tables in schema public from anon;
-- And the same for what later migrations create in public.
alter default privileges in schema public
  revoke truncate, references, trigger on tables from anon, authenticated;
alter default privileges in schema public revoke all on tables from anon;
alter default privileges in schema public revoke all on sequences from anon, authenticated;

-- =====================================================================
-- 10. Audit trail: every table, the reason, and a hash chain
-- =====================================================================
-- The reason given with a change (status changes; assignments keep theirs
-- in ticket_assignments) is stored with its entry.
alter table public.audit_log add column reason text;

-- Hash chain, per partition: each sealed entry carries its position, the
-- hash of its predecessor in the partition and its own hash
-- (sha256 of the predecessor's hash and the entry's content). Sealing runs
-- after commit (private.seal_audit_log(), every minute with pg_cron, or
-- `salga audit seal`), so no writer ever waits on the chain.
alter table public.audit_log
  add column chain_seq bigint,
  add column prev_hash text,
  add column entry_hash text;
create index audit_log_unsealed_idx on public.audit_log (id) where entry_hash is null;

-- The owner's own functions (sealing, verifying, a ticket's history) read
-- the trail and seal it; RLS is forced on the owner too.
do $$
begin
  execute format(
    'create policy "The owner''s functions read the audit trail" on public.audit_log'
    ' for select to %I using (true)', current_user);
  execute format(
    'create policy "The owner''s sealer seals unsealed entries" on public.audit_log'
    ' for update to %I using (entry_hash is null) with check (entry_hash is not null)',
    current_user);
end
$$;

-- Append-only still, with one exception: sealing an unsealed entry (only
-- the chain columns, only once).
create or replace function private.refuse_audit_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and old.entry_hash is null and new.entry_hash is not null
     and (to_jsonb(old) - array['chain_seq', 'prev_hash', 'entry_hash'])
         = (to_jsonb(new) - array['chain_seq', 'prev_hash', 'entry_hash']) then
    return new;
  end if;
  raise exception 'the audit log is append-only: % is not allowed', lower(tg_op)
    using errcode = 'SA403';
end
$$;

-- What an entry's hash covers: every column but the chain's own, in a
-- fixed text form (times as UTC epoch microseconds, jsonb in its canonical
-- text), chained to the predecessor's hash.
create function private.audit_entry_hash(p_prev_hash text, e public.audit_log) returns text
language sql immutable
set search_path = ''
as $$
  select encode(sha256(convert_to(concat_ws(E'\x1f',
    coalesce(p_prev_hash, 'genesis'), e.chain_seq::text, e.id::text,
    (extract(epoch from e.at) * 1000000)::bigint::text, coalesce(e.tenant_id::text, ''),
    coalesce(e.actor_id::text, ''), e.actor_role, e.operation, e.table_name,
    coalesce(e.record_id, ''), coalesce(e.old_values::text, ''),
    coalesce(e.new_values::text, ''), e.is_sensitive::text, coalesce(e.client_ip, ''),
    coalesce(e.user_agent, ''), coalesce(e.reason, '')), 'UTF8')), 'hex')
$$;

-- Seal every committed, unsealed entry, partition by partition, in id order
-- (an entry committed late is appended after those already sealed).
create function private.seal_audit_log() returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_part record;
  v_entry public.audit_log;
  v_prev text;
  v_seq bigint;
  v_count integer := 0;
begin
  if not pg_try_advisory_xact_lock(hashtext('public.audit_log seal')) then
    return 0;  -- another sealer is at work
  end if;
  for v_part in
    select c.oid::regclass as rel from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'public.audit_log'::regclass order by c.relname
  loop
    v_prev := null;
    v_seq := 0;
    execute format('select entry_hash, chain_seq from %s where entry_hash is not null'
                   ' order by chain_seq desc limit 1', v_part.rel) into v_prev, v_seq;
    v_seq := coalesce(v_seq, 0);
    for v_entry in execute format('select * from %s where entry_hash is null order by id',
                                  v_part.rel) loop
      v_seq := v_seq + 1;
      v_entry.chain_seq := v_seq;
      v_entry.prev_hash := v_prev;
      v_prev := private.audit_entry_hash(v_prev, v_entry);
      execute format('update %s set chain_seq = $1, prev_hash = $2, entry_hash = $3'
                     ' where id = $4 and entry_hash is null', v_part.rel)
        using v_seq, v_entry.prev_hash, v_prev, v_entry.id;
      v_count := v_count + 1;
    end loop;
  end loop;
  return v_count;
end
$$;

-- Walk every partition's chain; report the first broken link (or none),
-- the head of each chain (to be recorded elsewhere: a chain cut short at
-- its end is caught by comparing heads), unsealed entries, and audit
-- partitions that are no longer attached.
create function private.verify_audit_chain(
  out partition_name text, out ok boolean, out sealed bigint, out unsealed bigint,
  out head_seq bigint, out head_hash text, out first_broken_seq bigint,
  out first_broken_id bigint, out problem text)
returns setof record
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_part record;
  v_entry public.audit_log;
  v_prev text;
  v_expect bigint;
begin
  for v_part in
    select c.relname, c.oid::regclass as rel,
           exists (select 1 from pg_inherits i where i.inhrelid = c.oid
                    and i.inhparent = 'public.audit_log'::regclass) as attached
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'private' and c.relname ~ '^audit_log_[0-9]{4}_[0-9]{2}$'
       and c.relkind = 'r'
     order by c.relname
  loop
    partition_name := v_part.relname;
    ok := true; sealed := 0; head_seq := null; head_hash := null;
    first_broken_seq := null; first_broken_id := null; problem := null;
    execute format('select count(*) from %s where entry_hash is null', v_part.rel) into unsealed;
    if not v_part.attached then
      ok := false;
      problem := 'partition is no longer attached to public.audit_log';
    end if;
    v_prev := null;
    v_expect := 1;
    for v_entry in execute format('select * from %s where entry_hash is not null'
                                  ' order by chain_seq', v_part.rel) loop
      if ok and v_entry.chain_seq <> v_expect then
        ok := false;
        problem := format('entry %s missing before position %s', v_expect, v_entry.chain_seq);
      elsif ok and v_entry.prev_hash is distinct from v_prev then
        ok := false;
        problem := 'link to the previous entry does not match';
      elsif ok and v_entry.entry_hash <> private.audit_entry_hash(v_prev, v_entry) then
        ok := false;
        problem := 'entry content does not match its hash';
      end if;
      if not ok and first_broken_seq is null and v_part.attached then
        first_broken_seq := v_entry.chain_seq;
        first_broken_id := v_entry.id;
      end if;
      sealed := sealed + 1;
      v_prev := v_entry.entry_hash;
      v_expect := v_entry.chain_seq + 1;
      head_seq := v_entry.chain_seq;
      head_hash := v_entry.entry_hash;
    end loop;
    return next;
  end loop;
end
$$;

revoke all on function private.audit_entry_hash(text, public.audit_log),
  private.seal_audit_log(), private.verify_audit_chain() from public, anon, authenticated;
grant execute on function private.seal_audit_log(), private.verify_audit_chain() to service_role;

select private.schedule('salga-audit-seal', '* * * * *', 'select private.seal_audit_log()');

-- The trigger function, now also: the reason of the change, and the
-- WhatsApp tables. A conversation about a protected report (category gbv)
-- is a sensitive entry, and its location and address never enter the
-- log; nor do the replies we sent (they may repeat what the citizen said).
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

-- The six tables that had no audit trigger.
create trigger audit_row after insert or update or delete on public.whatsapp_conversations
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.whatsapp_inbound_messages
  for each row execute function private.audit_row('message_sid');
create trigger audit_row after insert or update or delete on public.whatsapp_media_jobs
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.whatsapp_templates
  for each row execute function private.audit_row('template_key', 'language');
create trigger audit_row after insert or update or delete on public.notification_delivery_events
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.media_access_log
  for each row execute function private.audit_row();

-- Status changes keep their reason (in the audit entry), and the reason
-- applies to that one change only.
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
  perform set_config('salga.change_reason', coalesce(left(btrim(p_reason), 500), ''), true);
  update public.tickets
     set status = p_status,
         escalation_reason = case when p_status = 'escalated'
                                  then coalesce(p_reason, 'escalated by staff')
                                  else escalation_reason end
   where id = p_ticket_id;
  if not found then
    perform set_config('salga.change_reason', '', true);
    -- Visible but not updatable by this caller (e.g. a citizen).
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  perform set_config('salga.change_reason', '', true);
  return p_status;
end
$$;

-- A ticket's history as its readers see it: status changes (from, to, who
-- by name and role, when, why) and reads of protected text, oldest first.
-- Only for a ticket the caller can see.
create or replace function private.ticket_audit_entries(p_ticket_id uuid)
returns table (at timestamptz, action text, actor_id uuid, details jsonb)
language sql stable security definer
set search_path = ''
as $$
  select e.at, e.action, e.actor_id, e.details
    from (
      select a.at, 'status_changed' as action, a.actor_id,
             jsonb_build_object(
               'from', a.old_values ->> 'status', 'to', a.new_values ->> 'status',
               'reason', coalesce(a.reason, case when a.new_values ->> 'status' = 'escalated'
                                                 then a.new_values ->> 'escalation_reason' end),
               'actor_name', p.full_name, 'actor_role', a.actor_role) as details,
             a.id as seq
        from public.audit_log a
        left join public.profiles p on p.id = a.actor_id
       where a.table_name = 'tickets' and a.record_id = p_ticket_id::text
         and a.operation = 'UPDATE' and a.new_values ? 'status'
      union all
      select r.read_at, 'decrypted_read', r.actor_id,
             jsonb_build_object('role', r.actor_role, 'client_ip', r.client_ip,
                                'actor_name', p.full_name, 'actor_role', r.actor_role),
             r.id
        from private.sensitive_reads r
        left join public.profiles p on p.id = r.actor_id
       where r.ticket_id = p_ticket_id
    ) e
   where private.can_see_ticket(p_ticket_id)
   order by e.at, e.seq
$$;

-- =====================================================================
-- 11. Delivery callbacks are idempotent; a phone is a person per municipality
-- =====================================================================
-- Twilio retries status callbacks: the same (MessageSid, status) is one event.
delete from public.notification_delivery_events e
 using public.notification_delivery_events d
 where d.message_sid = e.message_sid and d.status = e.status and d.id < e.id;
create unique index notification_delivery_events_sid_status_idx
  on public.notification_delivery_events (message_sid, status);

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
  values (p_message_sid, target, p_status, p_error_code)
  on conflict (message_sid, status) do nothing;
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

-- One living profile per phone and municipality (a person of A who
-- messages B is a new person in B; a deleted person who returns starts
-- afresh).
create unique index profiles_tenant_phone_idx on public.profiles (tenant_id, phone)
  where phone is not null and deleted_at is null;

-- ---------------------------------------------------------------------
-- The schedules, through the one helper (re-running replaces each job).
-- ---------------------------------------------------------------------
select private.schedule('salga-audit-partitions', '7 0 1,15 * *',
                        'select private.create_audit_partitions(3)');
select private.schedule('salga-escalate-overdue', '* * * * *',
                        'select private.escalate_overdue()');
