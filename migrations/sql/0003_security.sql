-- =====================================================================
-- 0003 Security
-- The whole access model, enforced by Postgres for every path (our API,
-- PostgREST, Storage, Realtime):
--   * the rules 0002's table policies do not cover: profiles (who reads
--     whose, admins manage roles) and field workers' writable fields;
--   * the audit trail: public.audit_log, append-only, partitioned by month,
--     filled by the trigger function private.audit_row() on every table.
-- Later migrations attach private.audit_row() to their own tables:
--   create trigger audit_row after insert or update or delete on public.<t>
--     for each row execute function private.audit_row();
-- (pass the key columns as arguments when the table has no `id` column).
-- =====================================================================

-- ---------------------------------------------------------------------
-- Helpers (private, search_path = '')
-- ---------------------------------------------------------------------

-- Seniority of roles: nobody grants a role above their own.
create function private.role_rank(p_role text) returns integer
language sql immutable
set search_path = ''
as $$
  select case p_role
           when 'citizen' then 1
           when 'field_worker' then 2
           when 'manager' then 3
           when 'saps_liaison' then 3
           when 'admin' then 4
           else 0
         end
$$;

-- Did this user file a sensitive report in the caller's municipality?
-- (SAPS liaisons may read the profiles of those they help.)
create function private.reported_sensitive_ticket(p_user_id uuid) returns boolean
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

revoke all on function private.role_rank(text), private.reported_sensitive_ticket(uuid)
  from public, anon;
grant execute on function private.role_rank(text), private.reported_sensitive_ticket(uuid)
  to authenticated, service_role;

-- ---------------------------------------------------------------------
-- Profiles: staff read their municipality's people as their role needs;
-- admins manage them (roles, activation, soft deletion)
-- ---------------------------------------------------------------------
create index profiles_tenant_role_idx on public.profiles (tenant_id, role);

grant update (role, is_active, phone, deleted_at) on public.profiles to authenticated;

create policy "Managers and admins read their municipality's profiles"
  on public.profiles for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.sees_all_non_sensitive()));
create policy "SAPS liaisons read their municipality's staff and the people they help"
  on public.profiles for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'saps_liaison'
         and (role <> 'citizen' or private.reported_sensitive_ticket(id)));
create policy "Admins manage their municipality's profiles"
  on public.profiles for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

-- Column grants are per role, not per policy: this trigger keeps the
-- administrative columns (role, activation, phone, deletion) for admins, and
-- stops anyone from granting a role above their own or changing their own.
create function private.guard_profile_changes() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_role text := private.app_role();
begin
  if current_user <> 'authenticated' then
    return new;  -- the service role and migrations
  end if;
  if new.tenant_id <> old.tenant_id then
    raise exception 'a profile cannot move to another municipality' using errcode = 'SA403';
  end if;
  if new.role is distinct from old.role or new.is_active is distinct from old.is_active
     or new.deleted_at is distinct from old.deleted_at or new.phone is distinct from old.phone then
    if v_role is distinct from 'admin' or old.tenant_id <> private.tenant_id() then
      raise exception 'only an administrator of the municipality can change this'
        using errcode = 'SA403';
    end if;
    if old.id = auth.uid() and (new.role is distinct from old.role
                                or new.is_active is distinct from old.is_active
                                or new.deleted_at is distinct from old.deleted_at) then
      raise exception 'administrators cannot change their own role or deactivate themselves'
        using errcode = 'SA403';
    end if;
    if private.role_rank(new.role) > private.role_rank(v_role) then
      raise exception 'nobody can grant a role above their own' using errcode = 'SA403';
    end if;
  end if;
  return new;
end
$$;

create trigger guard_profile_changes before update on public.profiles
  for each row execute function private.guard_profile_changes();

-- ---------------------------------------------------------------------
-- Tickets: field workers work the status of their teams' tickets; they do
-- not re-route, re-prioritise or re-address them.
-- ---------------------------------------------------------------------
create function private.guard_ticket_changes() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user = 'authenticated' and private.app_role() = 'field_worker'
     and (new.priority is distinct from old.priority
          or new.assigned_team_id is distinct from old.assigned_team_id
          or new.address is distinct from old.address
          or (new.assigned_to is distinct from old.assigned_to
              and new.assigned_to is distinct from auth.uid()
              and new.assigned_to is not null)) then
    raise exception 'field workers may change only the status of a report (or take it on)'
      using errcode = 'SA403';
  end if;
  return new;
end
$$;

create trigger guard_ticket_changes before update on public.tickets
  for each row execute function private.guard_ticket_changes();

-- =====================================================================
-- Audit trail
-- =====================================================================

-- ---------------------------------------------------------------------
-- The log: partitioned by month (partitions live in `private`, out of the
-- Data API's reach); readable through the parent's policies only.
-- ---------------------------------------------------------------------
create table public.audit_log (
  id bigint generated always as identity,
  at timestamptz not null default now(),
  tenant_id uuid,
  actor_id uuid,
  -- citizen | field_worker | manager | saps_liaison | admin | service_role | system
  actor_role text not null,
  operation text not null check (operation in ('INSERT', 'UPDATE', 'DELETE')),
  table_name text not null,
  record_id text,
  -- INSERT: the new row; DELETE: the old row; UPDATE: only the columns that
  -- changed, before and after. Encrypted columns never show their ciphertext.
  old_values jsonb,
  new_values jsonb,
  -- Entries about sensitive (GBV) reports, their assignments and media.
  is_sensitive boolean not null default false,
  client_ip text,
  user_agent text
) partition by range (at);
comment on table public.audit_log is
  'Append-only audit trail, one entry per changed row, written by private.audit_row() triggers.';

create index audit_log_tenant_at_idx on public.audit_log (tenant_id, is_sensitive, at desc);
create index audit_log_record_idx on public.audit_log (table_name, record_id, at);
-- No primary key: ids come from one identity sequence; the two indexes above
-- are what readers use, and each extra index costs every audited write.

revoke all on public.audit_log from anon, authenticated, service_role;
grant select on public.audit_log to authenticated, service_role;

alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;

-- Tables whose (non-sensitive) entries managers may read. Consent and the
-- notification outbox are for admins only; a later migration may add its
-- tables here with `create or replace`.
create function private.audit_tables_for_managers() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['municipalities', 'profiles', 'teams', 'team_members', 'tickets',
               'ticket_assignments', 'sla_policies', 'media_attachments']
$$;

create policy "Admins read their municipality's audit trail"
  on public.audit_log for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "SAPS liaisons read their municipality's sensitive audit entries"
  on public.audit_log for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'saps_liaison' and is_sensitive);
create policy "Managers read their municipality's ordinary audit entries"
  on public.audit_log for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'manager' and not is_sensitive
         and table_name = any ((select private.audit_tables_for_managers())::text[]));
-- The trigger function (owned by the table owner) appends; nobody else may.
do $$
begin
  execute format(
    'create policy "Only the audit trigger appends entries" on public.audit_log'
    ' for insert to %I with check (true)', current_user);
end
$$;

-- ---------------------------------------------------------------------
-- Partitions: one per calendar month (UTC), created ahead by
-- private.create_audit_partitions(); private.audit_row() creates a missing
-- one on the spot, so an insert never fails for lack of a partition.
-- ---------------------------------------------------------------------
create function private.refuse_audit_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'the audit log is append-only: % is not allowed', lower(tg_op)
    using errcode = 'SA403';
end
$$;

create function private.ensure_audit_partition(p_at timestamptz) returns void
language plpgsql security definer
set search_path = ''
as $$
declare
  v_from timestamptz := date_trunc('month', p_at, 'UTC');
  v_name text := 'audit_log_' || to_char(v_from at time zone 'UTC', 'YYYY_MM');
begin
  if to_regclass('private.' || v_name) is not null then
    return;
  end if;
  perform pg_advisory_xact_lock(hashtext('public.audit_log partitions'));
  if to_regclass('private.' || v_name) is not null then
    return;
  end if;
  execute format(
    'create table private.%I partition of public.audit_log for values from (%L) to (%L)',
    v_name, v_from, v_from + interval '1 month');
  execute format('revoke all on private.%I from public, anon, authenticated, service_role', v_name);
  execute format(
    'create trigger refuse_truncate before truncate on private.%I'
    ' for each statement execute function private.refuse_audit_change()', v_name);
end
$$;

create function private.create_audit_partitions(p_months_ahead integer default 3) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  for i in 0 .. p_months_ahead loop
    perform private.ensure_audit_partition(now() + make_interval(months => i));
  end loop;
end
$$;

revoke all on function private.refuse_audit_change(), private.ensure_audit_partition(timestamptz),
  private.create_audit_partitions(integer), private.audit_tables_for_managers()
  from public, anon, authenticated;
grant execute on function private.audit_tables_for_managers() to authenticated, service_role;

select private.create_audit_partitions(3);

-- Append-only, for every role including the owner.
create trigger refuse_update_delete before update or delete on public.audit_log
  for each row execute function private.refuse_audit_change();
create trigger refuse_truncate before truncate on public.audit_log
  for each statement execute function private.refuse_audit_change();

-- Where the cluster runs pg_cron (Supabase; the local cluster's `postgres`
-- database), partitions are also created ahead on the 1st and 15th.
do $$
begin
  if current_database() = coalesce(current_setting('cron.database_name', true), '')
     and exists (select 1 from pg_available_extensions where name = 'pg_cron')
     and not exists (select 1 from pg_extension where extname = 'pg_cron') then
    create extension pg_cron;
    comment on extension pg_cron is 'Job scheduler (installed by migration 0003).';
  end if;
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('salga-audit-partitions', '7 0 1,15 * *',
                          'select private.create_audit_partitions(3)');
  end if;
end
$$;

-- ---------------------------------------------------------------------
-- The trigger function: one entry per changed row, on every table.
-- Arguments: the key columns when the table has no `id` (e.g. team_members).
-- Sensitivity: the row's own is_sensitive, a gbv-evidence bucket, or the
-- sensitivity of the ticket it belongs to (a ticket that no longer exists
-- counts as sensitive, so nothing leaks through a cascade).
-- ---------------------------------------------------------------------
create function private.audit_row() returns trigger
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

revoke all on function private.audit_row() from public, anon, authenticated;

create trigger audit_row after insert or update or delete on public.municipalities
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.profiles
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.teams
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.team_members
  for each row execute function private.audit_row('team_id', 'user_id');
create trigger audit_row after insert or update or delete on public.tickets
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.ticket_assignments
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.sla_policies
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.media_attachments
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.consent_records
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.notification_outbox
  for each row execute function private.audit_row();
