-- =====================================================================
-- 0013 The staff workspace
-- Internal notes on tickets (sealed like the report on protected ones),
-- SAPS casework for protected reports (CAS number, referral, how the person
-- may safely be contacted, acknowledgement), search and sort indexes for
-- the ticket list, and the statistics the dashboard shows.
-- =====================================================================

create extension if not exists pg_trgm with schema extensions;


-- ---------------------------------------------------------------------
-- Internal notes: staff only (never the citizen), visible exactly when the
-- ticket is. A note on a protected report is stored only as ciphertext and
-- is itself protected, so it reaches the audit trail flagged as sensitive.
-- Notes are append-only: a correction is a new note.
-- ---------------------------------------------------------------------
create table public.ticket_notes (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  ticket_id uuid not null references public.tickets (id) on delete cascade,
  author_id uuid references public.profiles (id),
  body text check (body is null or length(btrim(body)) between 1 and 4000),
  encrypted_body text,
  is_sensitive boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint sealed_like_its_report check (not is_sensitive or body is null),
  constraint some_body check (body is not null or encrypted_body is not null)
);
create index ticket_notes_ticket_idx on public.ticket_notes (ticket_id, created_at);
create index ticket_notes_tenant_idx on public.ticket_notes (tenant_id);

-- The note takes its municipality and protection from its ticket, and its
-- author from the token: none of them is the caller's to choose.
create function private.stamp_note_from_its_ticket() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_ticket public.tickets;
begin
  select * into v_ticket from public.tickets t where t.id = new.ticket_id;
  if not found then
    raise exception 'no such ticket' using errcode = 'SA404';
  end if;
  new.tenant_id := v_ticket.tenant_id;
  new.is_sensitive := v_ticket.is_sensitive;
  -- (security definer: current_user is the owner here, so the token decides)
  new.author_id := coalesce(auth.uid(), new.author_id);
  if new.is_sensitive and new.body is not null then
    raise exception 'a note on a protected report is stored only encrypted' using errcode = 'SA422';
  end if;
  return new;
end
$$;

create trigger stamp_note_from_its_ticket before insert on public.ticket_notes
  for each row execute function private.stamp_note_from_its_ticket();
create trigger stamp_row before insert or update on public.ticket_notes
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.ticket_notes
  for each row execute function private.audit_row();

alter table public.ticket_notes enable row level security;
alter table public.ticket_notes force row level security;
revoke all on public.ticket_notes from anon, authenticated;
grant select on public.ticket_notes to authenticated;
grant insert (ticket_id, body, encrypted_body) on public.ticket_notes to authenticated;
grant all on public.ticket_notes to service_role;

create policy "Staff read the notes of tickets they can see"
  on public.ticket_notes for select to authenticated
  using ((select private.is_staff()) and private.can_see_ticket(ticket_id));

create policy "Staff add notes to tickets they can see"
  on public.ticket_notes for insert to authenticated
  with check ((select private.is_staff()) and private.can_see_ticket(ticket_id)
              and author_id = (select auth.uid()));

-- ---------------------------------------------------------------------
-- Colleagues: staff see who else works in their municipality (names on
-- assignments, notes and teams). Citizens' profiles stay as they were.
-- ---------------------------------------------------------------------
create policy "Staff read their municipality's staff profiles"
  on public.profiles for select to authenticated
  using (tenant_id = (select private.tenant_id()) and role <> 'citizen'
         and (select private.is_staff()));

-- ---------------------------------------------------------------------
-- SAPS casework: one row per protected report, opened when it is filed.
-- Only its municipality's SAPS liaisons and admins ever see or touch it.
-- The person is never contacted unless they asked to be
-- ('do_not_contact' by default); `channel` is how they reached us.
-- ---------------------------------------------------------------------
create table public.protected_casework (
  ticket_id uuid primary key references public.tickets (id) on delete cascade,
  tenant_id uuid not null references public.municipalities (id),
  channel text not null,
  contact_preference text not null default 'do_not_contact'
    check (contact_preference in ('do_not_contact', 'reporter_initiates', 'whatsapp', 'phone')),
  -- SAPS case numbers read like "CAS 123/11/2026" (number/month/year).
  cas_number text check (cas_number ~ '^CAS [0-9]{1,6}/[0-9]{1,2}/[0-9]{4}$'),
  referral_status text not null default 'not_referred'
    check (referral_status in ('not_referred', 'referred', 'accepted', 'declined', 'closed')),
  acknowledged_at timestamptz,
  acknowledged_by uuid references public.profiles (id),
  -- Always true: marks the row's audit entries as sensitive.
  is_sensitive boolean not null default true check (is_sensitive),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
create index protected_casework_tenant_idx on public.protected_casework (tenant_id);

create function private.open_protected_casework() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.protected_casework (ticket_id, tenant_id, channel)
  values (new.id, new.tenant_id, new.source)
  on conflict (ticket_id) do nothing;
  return null;
end
$$;

create trigger open_protected_casework after insert on public.tickets
  for each row when (new.is_sensitive) execute function private.open_protected_casework();

-- Acknowledging is stamped by the database, by whoever sets it first.
create function private.stamp_acknowledgement() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.acknowledged_at is not null and old.acknowledged_at is null then
    new.acknowledged_at := now();
    new.acknowledged_by := auth.uid();
  elsif new.acknowledged_at is distinct from old.acknowledged_at then
    raise exception 'an acknowledgement cannot be changed' using errcode = 'SA409';
  end if;
  return new;
end
$$;

create trigger stamp_acknowledgement before update on public.protected_casework
  for each row execute function private.stamp_acknowledgement();
create trigger stamp_row before insert or update on public.protected_casework
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.protected_casework
  for each row execute function private.audit_row('ticket_id');

alter table public.protected_casework enable row level security;
alter table public.protected_casework force row level security;
revoke all on public.protected_casework from anon, authenticated;
grant select on public.protected_casework to authenticated;
grant update (contact_preference, cas_number, referral_status, acknowledged_at)
  on public.protected_casework to authenticated;
grant all on public.protected_casework to service_role;

create policy "SAPS liaisons and admins read their municipality's protected casework"
  on public.protected_casework for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()));

create policy "SAPS liaisons and admins record their municipality's protected casework"
  on public.protected_casework for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()))
  with check (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()));

-- Protected reports filed before this migration get their casework row too.
insert into public.protected_casework (ticket_id, tenant_id, channel)
select t.id, t.tenant_id, t.source from public.tickets t where t.is_sensitive
on conflict (ticket_id) do nothing;

-- ---------------------------------------------------------------------
-- The ticket list: search by address text, and sort orders the dashboard
-- offers, each with an index that serves its keyset pagination.
-- ---------------------------------------------------------------------
create index tickets_address_trgm_idx on public.tickets
  using gin (address extensions.gin_trgm_ops);
create index tickets_tenant_deadline_idx
  on public.tickets (tenant_id,
                     coalesce(sla_resolution_deadline, '9999-12-31 00:00:00+00'::timestamptz), id);
create index tickets_tenant_updated_idx on public.tickets (tenant_id, updated_at desc, id desc);
create index tickets_tenant_priority_idx on public.tickets (tenant_id, priority);

-- ---------------------------------------------------------------------
-- Statistics over a period, as the caller sees tickets (security invoker:
-- RLS decides, so a manager's figures never count a protected report and a
-- liaison's count only those). Staff only.
-- ---------------------------------------------------------------------
create function public.ticket_stats(p_from timestamptz, p_to timestamptz) returns jsonb
language plpgsql stable security invoker
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  if not coalesce(private.is_staff(), false) then
    raise exception 'statistics are for municipal staff' using errcode = 'SA403';
  end if;
  if p_to <= p_from or p_to - p_from > interval '366 days' then
    raise exception 'the period must be positive and at most a year' using errcode = 'SA422';
  end if;
  with period as (
    select t.*, tm.name as team_name
      from public.tickets t
      left join public.teams tm on tm.id = t.assigned_team_id
     where t.tenant_id = (select private.tenant_id())
       and t.created_at >= p_from and t.created_at < p_to
  ),
  resolved as (
    select p.*, coalesce(p.resolved_at, p.closed_at) as done_at from period p
     where coalesce(p.resolved_at, p.closed_at) is not null
  )
  select jsonb_build_object(
    'from', p_from, 'to', p_to,
    'total', (select count(*) from period),
    'by_status', coalesce((select jsonb_object_agg(status, n) from (
        select status, count(*) as n from period group by status) s), '{}'),
    'by_category', coalesce((select jsonb_object_agg(category, n) from (
        select category, count(*) as n from period group by category) s), '{}'),
    'by_team', coalesce((select jsonb_agg(jsonb_build_object('team', team_name, 'count', n)
                                          order by n desc) from (
        select coalesce(team_name, 'Unassigned') as team_name, count(*) as n
          from period group by 1) s), '[]'),
    'overdue_now', (select count(*) from public.tickets t
                     where t.tenant_id = (select private.tenant_id())
                       and t.status not in ('resolved', 'closed')
                       and (t.sla_resolution_deadline < now()
                            or (t.first_responded_at is null
                                and t.sla_response_deadline < now()))),
    'median_first_response_hours', (select round((percentile_cont(0.5) within group (
        order by extract(epoch from p.first_responded_at - p.created_at)) / 3600)::numeric, 2)
        from period p where p.first_responded_at is not null),
    'median_resolution_hours', (select round((percentile_cont(0.5) within group (
        order by extract(epoch from r.done_at - r.created_at)) / 3600)::numeric, 2)
        from resolved r),
    'sla_attainment_by_team', coalesce((select jsonb_agg(jsonb_build_object(
        'team', team, 'resolved', n, 'within_sla', ok,
        'attainment', round(ok::numeric / nullif(n, 0), 3)) order by team) from (
        select coalesce(r.team_name, 'Unassigned') as team, count(*) as n,
               count(*) filter (where r.done_at <= r.sla_resolution_deadline) as ok
          from resolved r group by 1) s), '[]'),
    'sla_attainment_by_category', coalesce((select jsonb_agg(jsonb_build_object(
        'category', category, 'resolved', n, 'within_sla', ok,
        'attainment', round(ok::numeric / nullif(n, 0), 3)) order by category) from (
        select r.category, count(*) as n,
               count(*) filter (where r.done_at <= r.sla_resolution_deadline) as ok
          from resolved r group by 1) s), '[]'),
    'trend', coalesce((select jsonb_agg(jsonb_build_object(
        'day', d.day, 'created', coalesce(c.n, 0), 'resolved', coalesce(r.n, 0))
        order by d.day) from (
        select g::date as day
          from generate_series(date_trunc('day', p_from), p_to - interval '1 microsecond',
                               interval '1 day') g) d
        left join (select p.created_at::date as day, count(*) as n from period p group by 1) c
          on c.day = d.day
        left join (select r.done_at::date as day, count(*) as n from resolved r group by 1) r
          on r.day = d.day), '[]')
  ) into v_result;
  return v_result;
end
$$;

revoke all on function public.ticket_stats(timestamptz, timestamptz) from public, anon;
grant execute on function public.ticket_stats(timestamptz, timestamptz) to authenticated;
