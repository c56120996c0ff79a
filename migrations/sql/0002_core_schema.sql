-- =====================================================================
-- 0002 Core schema
-- Teams, tickets and their assignment history, SLA policies, media,
-- consent records and the notification outbox — with grants and the
-- row-level security policies every table needs from the start.
-- Later migrations add the audit trail (0003), the ticket lifecycle (0004),
-- storage (0005), WhatsApp (0006) and realtime (0007).
-- =====================================================================

-- ---------------------------------------------------------------------
-- Helpers (private, search_path = '')
-- ---------------------------------------------------------------------

-- Staff roles see municipal work; citizens see only their own.
create function private.is_staff() returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(private.app_role() in ('field_worker', 'manager', 'admin', 'saps_liaison'), false)
$$;

-- May the caller see sensitive (GBV) rows of their municipality?
create function private.sees_sensitive() returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(private.app_role() in ('saps_liaison', 'admin'), false)
$$;

-- May the caller see non-sensitive municipal work (all of it, not only
-- their team's)?
create function private.sees_all_non_sensitive() returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(private.app_role() in ('manager', 'admin'), false)
$$;

-- ---------------------------------------------------------------------
-- Teams and their members
-- ---------------------------------------------------------------------
create table public.teams (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  name text not null check (length(btrim(name)) between 2 and 120),
  categories text[] not null default '{}'
    check (categories <@ array['water', 'electricity', 'roads', 'waste', 'sanitation', 'gbv', 'other']),
  is_saps boolean not null default false,
  -- Default team for its categories when no service area matches.
  is_default boolean not null default false,
  manager_id uuid references public.profiles (id),
  service_area extensions.geography(MultiPolygon, 4326),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, name),
  unique (tenant_id, id)
);
create index teams_tenant_id_idx on public.teams (tenant_id);
create index teams_service_area_idx on public.teams using gist (service_area);

create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  tenant_id uuid not null references public.municipalities (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);
create index team_members_tenant_id_idx on public.team_members (tenant_id);

-- ---------------------------------------------------------------------
-- Tickets
-- ---------------------------------------------------------------------
create table public.tickets (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  tracking_number text not null unique,
  reporter_id uuid references public.profiles (id),
  category text not null
    check (category in ('water', 'electricity', 'roads', 'waste', 'sanitation', 'gbv', 'other')),
  -- Plain text for ordinary reports; NULL for sensitive ones, whose text
  -- exists only as Fernet ciphertext (the database never sees the key).
  description text check (description is null or length(description) <= 5000),
  encrypted_description text,
  is_sensitive boolean not null default false,
  status text not null default 'open'
    check (status in ('open', 'in_progress', 'escalated', 'resolved', 'closed')),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  location extensions.geography(Point, 4326),
  address text check (address is null or length(address) <= 500),
  language text not null default 'en' check (language in ('en', 'zu', 'af')),
  source text not null default 'web' check (source in ('whatsapp', 'web', 'api', 'phone')),
  assigned_team_id uuid,
  assigned_to uuid references public.profiles (id),
  sla_response_deadline timestamptz,
  sla_resolution_deadline timestamptz,
  first_responded_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  escalated_at timestamptz,
  escalation_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  -- A team of another municipality can never be assigned.
  foreign key (tenant_id, assigned_team_id) references public.teams (tenant_id, id),
  constraint gbv_is_always_sensitive check (category <> 'gbv' or is_sensitive),
  constraint sensitive_text_is_encrypted check (not is_sensitive or description is null),
  constraint some_description check (description is not null or encrypted_description is not null)
);
comment on column public.tickets.encrypted_description is
  'Fernet (MultiFernet) ciphertext of the description of a sensitive report; key held by the app only.';

-- Policy and listing columns are indexed (newest first per municipality).
create index tickets_tenant_created_idx on public.tickets (tenant_id, created_at desc, id desc);
create index tickets_tenant_sensitive_created_idx
  on public.tickets (tenant_id, is_sensitive, created_at desc, id desc);
create index tickets_tenant_status_idx on public.tickets (tenant_id, status);
create index tickets_assigned_team_idx on public.tickets (assigned_team_id);
create index tickets_assigned_to_idx on public.tickets (assigned_to);
create index tickets_reporter_idx on public.tickets (reporter_id);
create index tickets_location_idx on public.tickets using gist (location);

-- Tracking numbers: {municipality code}-{year}-{6-digit sequence per municipality and year}.
create table private.tracking_counters (
  tenant_id uuid not null,
  year integer not null,
  last_value bigint not null default 0,
  primary key (tenant_id, year)
);

create function private.assign_tracking_number() returns trigger
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

-- A sensitive ticket can only ever be assigned to a SAPS team (and a SAPS
-- team only ever receives sensitive tickets).
create function private.enforce_sensitive_routing() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_is_saps boolean;
begin
  if new.assigned_team_id is null then
    return new;
  end if;
  select is_saps into v_is_saps from public.teams where id = new.assigned_team_id;
  if new.is_sensitive and not v_is_saps then
    raise exception 'a sensitive report can only be assigned to a SAPS team' using errcode = 'SA422';
  end if;
  if not new.is_sensitive and v_is_saps then
    raise exception 'a SAPS team only receives sensitive reports' using errcode = 'SA422';
  end if;
  return new;
end
$$;

create trigger enforce_sensitive_routing before insert or update of assigned_team_id, is_sensitive
  on public.tickets for each row execute function private.enforce_sensitive_routing();

-- Once sensitive, always sensitive: nobody can declassify a report.
create function private.keep_sensitive() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.is_sensitive and not new.is_sensitive then
    raise exception 'a sensitive report cannot be made ordinary' using errcode = 'SA422';
  end if;
  if new.tenant_id <> old.tenant_id then
    raise exception 'a report cannot move to another municipality' using errcode = 'SA422';
  end if;
  return new;
end
$$;

create trigger keep_sensitive before update on public.tickets
  for each row execute function private.keep_sensitive();

-- ---------------------------------------------------------------------
-- Assignment history
-- ---------------------------------------------------------------------
create table public.ticket_assignments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid not null references public.tickets (id) on delete cascade,
  team_id uuid references public.teams (id),
  assigned_to uuid references public.profiles (id),
  assigned_by uuid,
  reason text check (reason is null or length(reason) <= 500),
  is_current boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
create index ticket_assignments_ticket_idx on public.ticket_assignments (ticket_id, created_at);
create index ticket_assignments_tenant_idx on public.ticket_assignments (tenant_id);
create unique index ticket_assignments_one_current
  on public.ticket_assignments (ticket_id) where is_current;

-- ---------------------------------------------------------------------
-- SLA policies (per municipality and category)
-- ---------------------------------------------------------------------
create table public.sla_policies (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  category text not null
    check (category in ('water', 'electricity', 'roads', 'waste', 'sanitation', 'gbv', 'other')),
  response_hours numeric(6, 2) not null check (response_hours > 0),
  resolution_hours numeric(7, 2) not null check (resolution_hours > 0),
  -- Fraction of the time budget after which a ticket shows as "warning".
  warning_threshold numeric(3, 2) not null default 0.80
    check (warning_threshold > 0 and warning_threshold < 1),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, category),
  check (resolution_hours >= response_hours)
);

-- ---------------------------------------------------------------------
-- Media attachments (rows for objects in Storage)
-- ---------------------------------------------------------------------
create table public.media_attachments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid references public.tickets (id) on delete cascade,
  user_id uuid references public.profiles (id),
  bucket text not null check (bucket in ('evidence', 'documents', 'gbv-evidence')),
  path text not null,
  filename text,
  content_type text,
  size_bytes bigint check (size_bytes is null or size_bytes >= 0),
  purpose text not null check (purpose in ('evidence', 'proof_of_residence')),
  source text not null default 'web' check (source in ('whatsapp', 'web', 'api')),
  is_processed boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (bucket, path),
  check (ticket_id is not null or user_id is not null)
);
create index media_attachments_ticket_idx on public.media_attachments (ticket_id);
create index media_attachments_user_idx on public.media_attachments (user_id);
create index media_attachments_tenant_idx on public.media_attachments (tenant_id);

-- ---------------------------------------------------------------------
-- Consent records (POPIA): append a new row to change consent
-- ---------------------------------------------------------------------
create table public.consent_records (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  user_id uuid not null references public.profiles (id),
  purpose text not null check (purpose ~ '^[a-z_]{3,64}$'),
  purpose_description text not null,
  language text not null default 'en' check (language in ('en', 'zu', 'af')),
  consented boolean not null,
  consent_version text not null,
  privacy_policy_version text not null,
  categories text[] not null default '{}',
  ip_address inet,
  user_agent text,
  withdrawn_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
create index consent_records_user_idx on public.consent_records (user_id, purpose, created_at desc);
create index consent_records_tenant_idx on public.consent_records (tenant_id);

-- ---------------------------------------------------------------------
-- Notification outbox: messages to citizens, written in the same
-- transaction as the change they report; delivered by `salga worker`.
-- ---------------------------------------------------------------------
create table public.notification_outbox (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid references public.tickets (id) on delete cascade,
  recipient text not null check (recipient ~ '^\+[1-9][0-9]{6,14}$'),
  channel text not null default 'whatsapp' check (channel in ('whatsapp')),
  template_key text not null,
  language text not null default 'en' check (language in ('en', 'zu', 'af')),
  variables jsonb not null default '{}'::jsonb,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  message_sid text unique,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
create index notification_outbox_due_idx
  on public.notification_outbox (next_attempt_at) where status = 'pending';
create index notification_outbox_tenant_idx on public.notification_outbox (tenant_id);
create index notification_outbox_ticket_idx on public.notification_outbox (ticket_id);

-- ---------------------------------------------------------------------
-- Visibility helpers that read the tables above (security definer so
-- policies can consult other tables without recursing into their policies)
-- ---------------------------------------------------------------------
-- Teams the caller belongs to. Security definer so policies on tickets can
-- consult team_members without recursing into its own policies.
create function private.my_team_ids() returns uuid[]
language sql stable security definer
set search_path = ''
as $$
  select coalesce(array_agg(tm.team_id), '{}')
    from public.team_members tm
   where tm.user_id = (select auth.uid())
$$;

-- Is this ticket one the caller may see? Used by child tables
-- (assignments, media) so their visibility follows the ticket's.
create function private.can_see_ticket(p_ticket_id uuid) returns boolean
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

-- Is this team of the caller's municipality (and is it a SAPS team)?
-- Security definer: policies consult teams without recursing into its policies.
create function private.team_in_my_tenant(p_team_id uuid, p_saps boolean default null)
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

-- Is this user a member of the caller's municipality?
create function private.profile_in_my_tenant(p_user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
     where p.id = p_user_id and p.tenant_id = (select private.tenant_id())
  )
$$;

-- ---------------------------------------------------------------------
-- Timestamps and authorship on every table
-- ---------------------------------------------------------------------
create trigger stamp_row before insert or update on public.teams
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.team_members
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.tickets
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.ticket_assignments
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.sla_policies
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.media_attachments
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.consent_records
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.notification_outbox
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Privileges: revoke Supabase's defaults, grant back what each role needs
-- ---------------------------------------------------------------------
revoke all on public.teams, public.team_members, public.tickets, public.ticket_assignments,
  public.sla_policies, public.media_attachments, public.consent_records,
  public.notification_outbox from anon, authenticated;
grant all on public.teams, public.team_members, public.tickets, public.ticket_assignments,
  public.sla_policies, public.media_attachments, public.consent_records,
  public.notification_outbox to service_role;

grant select, insert, update, delete on public.teams, public.team_members,
  public.sla_policies to authenticated;
grant select on public.tickets to authenticated;
-- Filing a report names only what the reporter knows; status, team, person,
-- priority and SLA deadlines are the municipality's (set by triggers and staff).
grant insert (id, tenant_id, reporter_id, category, description, encrypted_description,
              is_sensitive, location, address, language, source)
  on public.tickets to authenticated;
grant select, insert on public.ticket_assignments, public.media_attachments,
  public.consent_records to authenticated;
-- Staff change a ticket's working fields; never its reporter, text or tenant.
grant update (status, priority, assigned_team_id, assigned_to, escalation_reason, address)
  on public.tickets to authenticated;
grant update (is_current) on public.ticket_assignments to authenticated;
grant update (withdrawn_at) on public.consent_records to authenticated;
grant select on public.notification_outbox to authenticated;

revoke all on all functions in schema private from public, anon;
grant execute on all functions in schema private to authenticated, service_role;
revoke all on private.tracking_counters from public, anon, authenticated;

alter table public.teams enable row level security;
alter table public.teams force row level security;
alter table public.team_members enable row level security;
alter table public.team_members force row level security;
alter table public.tickets enable row level security;
alter table public.tickets force row level security;
alter table public.ticket_assignments enable row level security;
alter table public.ticket_assignments force row level security;
alter table public.sla_policies enable row level security;
alter table public.sla_policies force row level security;
alter table public.media_attachments enable row level security;
alter table public.media_attachments force row level security;
alter table public.consent_records enable row level security;
alter table public.consent_records force row level security;
alter table public.notification_outbox enable row level security;
alter table public.notification_outbox force row level security;

-- ---------------------------------------------------------------------
-- Policies. Nobody crosses municipalities; anon gets nothing.
-- Sensitive (GBV) rows are visible only to saps_liaison and admin.
-- ---------------------------------------------------------------------

-- Teams
create policy "Staff read their municipality's teams"
  on public.teams for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff()));
-- SAPS teams are the admins' alone; managers run ordinary teams.
create policy "Admins manage their municipality's teams"
  on public.teams for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) = 'admin'
              and (manager_id is null or private.profile_in_my_tenant(manager_id)));
create policy "Managers manage their municipality's ordinary teams"
  on public.teams for all to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'manager' and not is_saps)
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) = 'manager' and not is_saps
              and (manager_id is null or private.profile_in_my_tenant(manager_id)));

create policy "Staff read their municipality's team members"
  on public.team_members for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff()));
-- Both the team and the person belong to the municipality.
create policy "Admins manage their municipality's team members"
  on public.team_members for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) = 'admin'
              and private.team_in_my_tenant(team_id)
              and private.profile_in_my_tenant(user_id));
create policy "Managers manage members of their municipality's ordinary teams"
  on public.team_members for all to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'manager'
         and private.team_in_my_tenant(team_id, false))
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) = 'manager'
              and private.team_in_my_tenant(team_id, false)
              and private.profile_in_my_tenant(user_id));

-- Tickets. One read policy for every audience, as a CASE on the caller's role: the
-- planner then estimates it sensibly and walks the (tenant_id, is_sensitive,
-- created_at) index for a first page, instead of sorting a whole municipality
-- (five OR-ed policies looked 100x too selective to it; see scripts/bench_rls).
create policy "Users read their municipality's tickets as their role allows"
  on public.tickets for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and case (select private.app_role())
               -- admins: everything in the municipality
               when 'admin' then true
               -- managers: every ordinary ticket
               when 'manager' then not is_sensitive
               -- SAPS liaisons: sensitive (GBV) tickets only
               when 'saps_liaison' then is_sensitive
               -- field workers: ordinary tickets of their teams
               when 'field_worker' then not is_sensitive
                 and assigned_team_id = any ((select private.my_team_ids())::uuid[])
               -- citizens: their own ordinary reports
               when 'citizen' then not is_sensitive and reporter_id = (select auth.uid())
               else false
             end);
create policy "Citizens file reports in their own municipality"
  on public.tickets for insert to authenticated
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) = 'citizen'
              and reporter_id = (select auth.uid())
              and status = 'open');
create policy "Field workers update their teams' ordinary tickets"
  on public.tickets for update to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'field_worker'
         and not is_sensitive
         and assigned_team_id = any ((select private.my_team_ids())::uuid[]))
  with check (tenant_id = (select private.tenant_id()) and not is_sensitive);
create policy "Managers update their municipality's ordinary tickets"
  on public.tickets for update to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'manager' and not is_sensitive)
  with check (tenant_id = (select private.tenant_id()) and not is_sensitive);
create policy "SAPS liaisons update their municipality's sensitive tickets"
  on public.tickets for update to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'saps_liaison' and is_sensitive)
  with check (tenant_id = (select private.tenant_id()) and is_sensitive);
create policy "Admins update all their municipality's tickets"
  on public.tickets for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

-- Assignment history follows the ticket's visibility.
create policy "Staff read assignments of tickets they can see"
  on public.ticket_assignments for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff())
         and private.can_see_ticket(ticket_id));
-- Assignments name a team and a person of the same municipality.
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

-- SLA policies
create policy "Staff read their municipality's SLA policies"
  on public.sla_policies for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff()));
create policy "Managers and admins manage their municipality's SLA policies"
  on public.sla_policies for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_all_non_sensitive()))
  with check (tenant_id = (select private.tenant_id())
              and (select private.sees_all_non_sensitive()));

-- Media follows its ticket; a user's own documents are theirs.
-- GBV evidence is the liaisons' and admins' alone.
create policy "Users read media of tickets they can see"
  on public.media_attachments for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and ((ticket_id is not null and private.can_see_ticket(ticket_id))
              or (ticket_id is null and user_id = (select auth.uid()))
              or (ticket_id is null and purpose = 'proof_of_residence'
                  and bucket <> 'gbv-evidence'
                  and (select private.sees_all_non_sensitive()))));
create policy "Users attach media to tickets they can see or to themselves"
  on public.media_attachments for insert to authenticated
  with check (tenant_id = (select private.tenant_id())
              and (bucket <> 'gbv-evidence' or (select private.sees_sensitive()))
              and ((ticket_id is not null and private.can_see_ticket(ticket_id))
                   or (ticket_id is null and user_id = (select auth.uid()))));

-- Consent: a citizen's own; admins of the municipality for POPIA requests.
create policy "Users read their own consent records"
  on public.consent_records for select to authenticated
  using (tenant_id = (select private.tenant_id()) and user_id = (select auth.uid()));
create policy "Admins read their municipality's consent records"
  on public.consent_records for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Users record their own consent"
  on public.consent_records for insert to authenticated
  with check (tenant_id = (select private.tenant_id()) and user_id = (select auth.uid()));
create policy "Users withdraw their own consent"
  on public.consent_records for update to authenticated
  using (tenant_id = (select private.tenant_id()) and user_id = (select auth.uid()))
  with check (tenant_id = (select private.tenant_id()) and user_id = (select auth.uid()));

-- Outbox: admins may inspect delivery of their municipality's ordinary
-- notifications (sensitive tickets never enqueue any); only the service writes.
create policy "Admins read their municipality's notification outbox"
  on public.notification_outbox for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
