-- =====================================================================
-- 0012 Open311 and duplicate reports
--   * duplicate detection: per-category radius and age, a partial GiST
--     index over open ordinary tickets, private.possible_duplicates();
--   * followers: people who follow a report instead of filing a new one
--     hear of its status changes through the outbox;
--   * merging: public.merge_ticket() closes a duplicate with a link and
--     moves its followers and photos to the original, audited;
--   * Open311 GeoReport v2: API keys per client and municipality (hashed,
--     revocable), what a client sent with a request (contact fields), the
--     public status updates FixMyStreet syncs, and the security-definer
--     readers the anonymous Open311 endpoints call.
-- Protected (GBV) reports never take part: they are never suggested,
-- followed, merged, listed, counted or updated through any of this.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Tickets: the link a merged duplicate keeps to its original
-- ---------------------------------------------------------------------
alter table public.tickets add column duplicate_of uuid references public.tickets (id)
  constraint duplicate_of_another check (duplicate_of is distinct from id);
create index tickets_duplicate_of_idx on public.tickets (duplicate_of)
  where duplicate_of is not null;

-- Duplicate search walks only open, ordinary, unmerged tickets: a partial
-- GiST index keeps it a few index pages at any table size (the bench runs
-- it at 1,000,000 tickets).
create index tickets_open_ordinary_location_idx on public.tickets using gist (location)
  where not is_sensitive and duplicate_of is null
    and status in ('open', 'in_progress', 'escalated');

-- Open311 lists a municipality's ordinary requests newest first.
create index tickets_tenant_ordinary_created_idx
  on public.tickets (tenant_id, created_at desc, id desc) where not is_sensitive;

-- ---------------------------------------------------------------------
-- Duplicate rules: how near and how recent counts as "the same", per
-- municipality and category (50 m and 30 days when no rule exists).
-- GBV has no rule: protected reports are never compared.
-- ---------------------------------------------------------------------
create table public.duplicate_rules (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  category text not null
    check (category in ('water', 'electricity', 'roads', 'waste', 'sanitation', 'other')),
  radius_m integer not null default 50 check (radius_m between 1 and 1000),
  max_age_days integer not null default 30 check (max_age_days between 1 and 365),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, category)
);

-- ---------------------------------------------------------------------
-- Followers of a report (not its reporter): told of each status change
-- ---------------------------------------------------------------------
create table public.ticket_followers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid not null references public.tickets (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  source text not null check (source in ('whatsapp', 'web', 'merge')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (ticket_id, user_id)
);
create index ticket_followers_user_idx on public.ticket_followers (user_id);
create index ticket_followers_tenant_idx on public.ticket_followers (tenant_id);

-- ---------------------------------------------------------------------
-- Open311 clients: one API key per client and municipality. Only the
-- SHA-256 of the key is kept; the key is shown once, when it is made.
-- ---------------------------------------------------------------------
create table public.open311_clients (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  name text not null check (length(btrim(name)) between 2 and 120),
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  key_prefix text not null check (length(key_prefix) between 4 and 12),
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, name)
);
create index open311_clients_tenant_idx on public.open311_clients (tenant_id);

-- What a client sent with a request beyond the report itself. The contact
-- fields are personal: managers and admins read them, Open311 never returns them.
create table public.open311_submissions (
  id uuid primary key default gen_random_uuid(),  -- the Open311 token
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid not null unique references public.tickets (id) on delete cascade,
  client_id uuid not null references public.open311_clients (id),
  contact jsonb not null default '{}'::jsonb,
  media_url text check (media_url is null or length(media_url) <= 2000),
  -- SHA-256 of what was asked (service, place, text): a client's retry of the
  -- same request within minutes gets the same request back, not a second one.
  fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
create index open311_submissions_tenant_idx on public.open311_submissions (tenant_id);
create index open311_submissions_client_idx
  on public.open311_submissions (client_id, fingerprint, created_at desc);

-- Public updates of ordinary tickets (mySociety's servicerequestupdates):
-- each status change, and each update a client posts (idempotent by the
-- client's own update id).
create table public.ticket_updates (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid not null references public.tickets (id) on delete cascade,
  status text not null
    check (status in ('open', 'in_progress', 'escalated', 'resolved', 'closed')),
  is_duplicate boolean not null default false,
  description text check (description is null or length(description) <= 4000),
  source text not null check (source in ('staff', 'open311')),
  client_id uuid references public.open311_clients (id),
  external_id text check (external_id is null or length(external_id) <= 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (client_id, external_id)
);
create index ticket_updates_tenant_created_idx on public.ticket_updates (tenant_id, created_at);
create index ticket_updates_ticket_idx on public.ticket_updates (ticket_id);

-- WhatsApp: the conversation may pause to offer following a likely duplicate.
alter table public.whatsapp_conversations drop constraint whatsapp_conversations_state_check;
alter table public.whatsapp_conversations add constraint whatsapp_conversations_state_check
  check (state in ('language', 'consent', 'menu', 'sensitive_consent', 'description',
                   'location', 'photos', 'confirm', 'duplicate', 'opted_out'));

-- ---------------------------------------------------------------------
-- Stamps and audit on every new table
-- ---------------------------------------------------------------------
create trigger stamp_row before insert or update on public.duplicate_rules
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.ticket_followers
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.open311_clients
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.open311_submissions
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.ticket_updates
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.duplicate_rules
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.ticket_followers
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.open311_clients
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.open311_submissions
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.ticket_updates
  for each row execute function private.audit_row();

-- ---------------------------------------------------------------------
-- Privileges and policies
-- ---------------------------------------------------------------------
revoke all on public.duplicate_rules, public.ticket_followers, public.open311_clients,
  public.open311_submissions, public.ticket_updates from anon, authenticated;
grant all on public.duplicate_rules, public.ticket_followers, public.open311_clients,
  public.open311_submissions, public.ticket_updates to service_role;
grant select, insert, update, delete on public.duplicate_rules to authenticated;
-- Following happens through public.follow_ticket(); a follower may stop.
grant select, delete on public.ticket_followers to authenticated;
-- Admins see their clients (never the key hash) and revoke them.
grant select (id, tenant_id, name, key_prefix, revoked_at, last_used_at, created_at,
              updated_at) on public.open311_clients to authenticated;
grant update (revoked_at) on public.open311_clients to authenticated;
grant select on public.open311_submissions, public.ticket_updates to authenticated;

alter table public.duplicate_rules enable row level security;
alter table public.duplicate_rules force row level security;
alter table public.ticket_followers enable row level security;
alter table public.ticket_followers force row level security;
alter table public.open311_clients enable row level security;
alter table public.open311_clients force row level security;
alter table public.open311_submissions enable row level security;
alter table public.open311_submissions force row level security;
alter table public.ticket_updates enable row level security;
alter table public.ticket_updates force row level security;

create policy "Staff read their municipality's duplicate rules"
  on public.duplicate_rules for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff()));
create policy "Managers and admins manage their municipality's duplicate rules"
  on public.duplicate_rules for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_all_non_sensitive()))
  with check (tenant_id = (select private.tenant_id())
              and (select private.sees_all_non_sensitive()));

create policy "Citizens read what they follow"
  on public.ticket_followers for select to authenticated
  using (tenant_id = (select private.tenant_id()) and user_id = (select auth.uid()));
create policy "Staff read followers of tickets they can see"
  on public.ticket_followers for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff())
         and private.can_see_ticket(ticket_id));
create policy "Citizens stop following"
  on public.ticket_followers for delete to authenticated
  using (tenant_id = (select private.tenant_id()) and user_id = (select auth.uid()));

create policy "Admins read their municipality's Open311 clients"
  on public.open311_clients for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Admins revoke their municipality's Open311 clients"
  on public.open311_clients for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

create policy "Managers and admins read what Open311 clients sent"
  on public.open311_submissions for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_all_non_sensitive()));

create policy "Staff read updates of tickets they can see"
  on public.ticket_updates for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff())
         and private.can_see_ticket(ticket_id));

-- Managers read the audit entries of the ordinary tables they work with
-- (contact fields and client keys stay with admins).
create or replace function private.audit_tables_for_managers() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['municipalities', 'profiles', 'teams', 'team_members', 'tickets',
               'ticket_assignments', 'sla_policies', 'media_attachments', 'duplicate_rules',
               'ticket_followers', 'ticket_updates']
$$;

-- ---------------------------------------------------------------------
-- Duplicate search
-- ---------------------------------------------------------------------
-- Open, ordinary, unmerged tickets of the same municipality and category
-- within the category's radius, younger than its age limit, nearest first.
-- Security definer: a citizen filing learns of reports they cannot read,
-- but only their reference, status, category, age and distance. The caller
-- must belong to the municipality (or be the service role); a protected
-- category compares with nothing. `p_now` is the moment ages are counted
-- from (tests move it; it changes nothing anyone may see).
create function private.possible_duplicates(p_tenant_id uuid, p_category text,
  p_latitude double precision, p_longitude double precision, p_exclude uuid default null,
  p_limit integer default 5, p_now timestamptz default now())
returns table (id uuid, tracking_number text, status text, category text,
               created_at timestamptz, distance_m double precision)
language sql stable security definer
set search_path = ''
as $$
  with rule as (
    select coalesce(r.radius_m, 50) as radius_m, coalesce(r.max_age_days, 30) as max_age_days
      from (select 1) one
      left join public.duplicate_rules r
        on r.tenant_id = p_tenant_id and r.category = p_category
  ), here as (
    select extensions.st_setsrid(extensions.st_makepoint(p_longitude, p_latitude), 4326)
             ::extensions.geography as point
  )
  select t.id, t.tracking_number, t.status, t.category, t.created_at,
         extensions.st_distance(t.location, here.point) as distance_m
    from public.tickets t, rule, here
   where p_category <> 'gbv' and p_latitude is not null and p_longitude is not null
     and (p_tenant_id = (select private.tenant_id()) or (select auth.role()) = 'service_role')
     and not t.is_sensitive and t.duplicate_of is null
     and t.status in ('open', 'in_progress', 'escalated')
     and extensions.st_dwithin(t.location, here.point, rule.radius_m)
     and t.tenant_id = p_tenant_id and t.category = p_category
     and t.created_at > p_now - make_interval(days => rule.max_age_days)
     and t.id is distinct from p_exclude
   order by distance_m, t.created_at desc
   limit least(greatest(p_limit, 1), 20)
$$;

-- ---------------------------------------------------------------------
-- Following a report
-- ---------------------------------------------------------------------
-- A citizen follows an open ordinary report of their municipality (the
-- caller's own id; the service role names the person). Idempotent.
create function public.follow_ticket(p_ticket_id uuid, p_user_id uuid default null,
  p_source text default 'web') returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  v_user uuid := coalesce(case when (select auth.role()) = 'service_role' then p_user_id end,
                          (select auth.uid()));
  v_ticket public.tickets;
begin
  select * into v_ticket from public.tickets t
   where t.id = p_ticket_id and not t.is_sensitive and t.duplicate_of is null
     and t.status in ('open', 'in_progress', 'escalated')
     and (t.tenant_id = (select private.tenant_id()) or (select auth.role()) = 'service_role');
  if not found or v_user is null
     or not exists (select 1 from public.profiles p
                     where p.id = v_user and p.tenant_id = v_ticket.tenant_id) then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  if v_ticket.reporter_id = v_user then
    return v_ticket.id;  -- the reporter hears of it already
  end if;
  insert into public.ticket_followers (tenant_id, ticket_id, user_id, source)
  values (v_ticket.tenant_id, v_ticket.id, v_user, p_source)
  on conflict (ticket_id, user_id) do nothing;
  return v_ticket.id;
end
$$;

-- Followers hear of each status change of an ordinary ticket, like its
-- reporter (private.enqueue_status_notification), in the same transaction.
create function private.enqueue_follower_notifications() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.is_sensitive or new.status is not distinct from old.status then
    return null;
  end if;
  insert into public.notification_outbox (tenant_id, ticket_id, recipient, template_key,
                                          language, variables)
  select new.tenant_id, new.id, p.phone, 'ticket_status_changed', p.preferred_language,
         jsonb_build_object('tracking_number', new.tracking_number, 'status', new.status)
    from public.ticket_followers f
    join public.profiles p on p.id = f.user_id
   where f.ticket_id = new.id and p.phone is not null and p.deleted_at is null
     and f.user_id is distinct from new.reporter_id;
  return null;
end
$$;

create trigger enqueue_follower_notifications after update of status on public.tickets
  for each row execute function private.enqueue_follower_notifications();

-- Each status change of an ordinary ticket is a public update (Open311
-- servicerequestupdates). An update posted by a client records itself.
create function private.record_ticket_update() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.is_sensitive or new.status is not distinct from old.status
     or coalesce(current_setting('salga.open311_update', true), '') = 'on' then
    return null;
  end if;
  insert into public.ticket_updates (tenant_id, ticket_id, status, is_duplicate, source)
  values (new.tenant_id, new.id, new.status, new.duplicate_of is not null, 'staff');
  return null;
end
$$;

create trigger record_ticket_update after update of status on public.tickets
  for each row execute function private.record_ticket_update();

-- ---------------------------------------------------------------------
-- Merging a duplicate into its original (managers and admins)
-- ---------------------------------------------------------------------
-- The duplicate is closed with a link to the original; its reporter and
-- followers follow the original; its photos move there. Every change is
-- audited by the tables' own triggers. Protected reports are never merged.
create function public.merge_ticket(p_ticket_id uuid, p_into uuid, p_reason text default null)
returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  v_dup public.tickets;
  v_into public.tickets;
begin
  if coalesce(private.app_role(), '') not in ('manager', 'admin') then
    raise exception 'only a manager or an admin can merge tickets' using errcode = 'SA403';
  end if;
  if not private.can_see_ticket(p_ticket_id) or not private.can_see_ticket(p_into) then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  if p_ticket_id = p_into then
    raise exception 'a ticket cannot be merged into itself' using errcode = 'SA422';
  end if;
  -- Lock both in a fixed order so two merges cannot deadlock.
  perform 1 from public.tickets where id in (p_ticket_id, p_into) order by id for update;
  select * into v_dup from public.tickets where id = p_ticket_id;
  select * into v_into from public.tickets where id = p_into;
  if v_dup.is_sensitive or v_into.is_sensitive then
    raise exception 'protected reports are never merged' using errcode = 'SA422';
  end if;
  if v_dup.duplicate_of is not null or v_dup.status = 'closed' then
    raise exception 'ticket % is already closed', v_dup.tracking_number using errcode = 'SA409';
  end if;
  if v_into.duplicate_of is not null or v_into.status = 'closed' then
    raise exception 'merge into an open ticket; % is closed', v_into.tracking_number
      using errcode = 'SA409';
  end if;

  perform set_config('salga.change_reason',
    left(format('duplicate of %s%s', v_into.tracking_number,
                coalesce(': ' || nullif(btrim(p_reason), ''), '')), 500), true);
  update public.tickets set duplicate_of = p_into, status = 'closed' where id = p_ticket_id;

  insert into public.ticket_followers (tenant_id, ticket_id, user_id, source)
  select v_into.tenant_id, p_into, u.user_id, 'merge'
    from (select v_dup.reporter_id as user_id
          union select f.user_id from public.ticket_followers f where f.ticket_id = p_ticket_id) u
   where u.user_id is not null and u.user_id is distinct from v_into.reporter_id
  on conflict (ticket_id, user_id) do nothing;
  delete from public.ticket_followers where ticket_id = p_ticket_id;
  update public.media_attachments set ticket_id = p_into where ticket_id = p_ticket_id;
  return p_into;
end
$$;

-- ---------------------------------------------------------------------
-- Open311: keys, and the readers the anonymous endpoints call. The readers
-- live in their own schema, the only one `anon` may use besides public:
-- nothing else of ours is within its reach.
-- ---------------------------------------------------------------------
create schema open311;
revoke all on schema open311 from public;
grant usage on schema open311 to anon, authenticated, service_role;

-- The active client holding this key for the municipality with this code.
-- Its last use is noted at most hourly (each note is an audited change).
create function private.open311_client(p_jurisdiction text, p_key_hash text)
returns table (client_id uuid, tenant_id uuid)
language plpgsql security definer
set search_path = ''
as $$
begin
  return query
    update public.open311_clients c
       set last_used_at = case when c.last_used_at > now() - interval '1 hour'
                               then c.last_used_at else now() end
      from public.municipalities m
     where m.id = c.tenant_id and m.code = upper(p_jurisdiction) and m.is_active
       and c.key_hash = p_key_hash and c.revoked_at is null
    returning c.id, c.tenant_id;
end
$$;

-- A municipality by its code (the Open311 jurisdiction_id).
create function open311.jurisdiction(p_code text)
returns table (id uuid, code text, name text)
language sql stable security definer
set search_path = ''
as $$
  select m.id, m.code, m.name from public.municipalities m
   where m.code = upper(p_code) and m.is_active
$$;

-- Ordinary requests of a municipality, newest first, with only what is
-- public: no reporter, no contact, no text, no address, no photo; the
-- location is rounded to about 100 m. Protected reports are filtered before paging, so
-- neither a page's size nor an id reveals one.
create function open311.requests(p_tenant_id uuid, p_ids uuid[], p_category text,
  p_start timestamptz, p_end timestamptz, p_open boolean, p_limit integer, p_offset integer)
returns table (id uuid, category text, status text, duplicate_of uuid,
               created_at timestamptz, updated_at timestamptz, expected_at timestamptz,
               latitude double precision, longitude double precision)
language sql stable security definer
set search_path = ''
as $$
  select t.id, t.category, t.status, t.duplicate_of, t.created_at, t.updated_at,
         t.sla_resolution_deadline,
         round(extensions.st_y(t.location::extensions.geometry)::numeric, 3)::float8,
         round(extensions.st_x(t.location::extensions.geometry)::numeric, 3)::float8
    from public.tickets t
   where t.tenant_id = p_tenant_id and not t.is_sensitive
     and (p_ids is null or t.id = any (p_ids))
     and (p_category is null or t.category = p_category)
     and (p_start is null or t.created_at >= p_start)
     and (p_end is null or t.created_at <= p_end)
     and (p_open is null or (t.status in ('open', 'in_progress', 'escalated')) = p_open)
   order by t.created_at desc, t.id desc
   limit least(greatest(p_limit, 1), 1000) offset greatest(p_offset, 0)
$$;

-- Public updates of a municipality's ordinary tickets in a time window,
-- oldest first: the newest 1,000 of it.
create function open311.updates(p_tenant_id uuid, p_start timestamptz,
  p_end timestamptz, p_limit integer)
returns table (id uuid, ticket_id uuid, status text, is_duplicate boolean,
               description text, created_at timestamptz)
language sql stable security definer
set search_path = ''
as $$
  select * from (
    select u.id, u.ticket_id, u.status, u.is_duplicate,
           case when u.source = 'open311' then u.description end, u.created_at
      from public.ticket_updates u
      join public.tickets t on t.id = u.ticket_id and not t.is_sensitive
     where u.tenant_id = p_tenant_id
       and (p_start is null or u.created_at >= p_start)
       and (p_end is null or u.created_at <= p_end)
     order by u.created_at desc, u.id desc
     limit least(greatest(p_limit, 1), 1000)) newest
   order by newest.created_at, newest.id
$$;

-- The request a token (an Open311 submission) became.
create function open311.token(p_tenant_id uuid, p_token uuid)
returns table (ticket_id uuid)
language sql stable security definer
set search_path = ''
as $$
  select s.ticket_id from public.open311_submissions s
    join public.tickets t on t.id = s.ticket_id and not t.is_sensitive
   where s.tenant_id = p_tenant_id and s.id = p_token
$$;

revoke all on function private.possible_duplicates(uuid, text, double precision,
    double precision, uuid, integer, timestamptz),
  public.follow_ticket(uuid, uuid, text), private.enqueue_follower_notifications(),
  private.record_ticket_update(), public.merge_ticket(uuid, uuid, text),
  private.open311_client(text, text), open311.jurisdiction(text),
  open311.requests(uuid, uuid[], text, timestamptz, timestamptz, boolean, integer,
                           integer),
  open311.updates(uuid, timestamptz, timestamptz, integer),
  open311.token(uuid, uuid)
  from public, anon, authenticated;
grant execute on function private.possible_duplicates(uuid, text, double precision,
    double precision, uuid, integer, timestamptz),
  public.follow_ticket(uuid, uuid, text), public.merge_ticket(uuid, uuid, text)
  to authenticated, service_role;
grant execute on function private.open311_client(text, text) to service_role;
-- The Open311 readers are the anonymous endpoints' only door.
grant execute on function open311.jurisdiction(text),
  open311.requests(uuid, uuid[], text, timestamptz, timestamptz, boolean, integer,
                           integer),
  open311.updates(uuid, timestamptz, timestamptz, integer),
  open311.token(uuid, uuid)
  to anon, authenticated, service_role;
