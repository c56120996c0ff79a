-- =====================================================================
-- 0004 Ticket lifecycle
-- Status transitions, SLA deadlines and status, routing (on filing and as
-- RPC), assignment history, escalation (pg_cron where available), the
-- notification outbox and realtime ticket events. Every rule lives here so
-- it holds for our API, PostgREST and the workers alike.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Indexes the lifecycle needs
-- ---------------------------------------------------------------------
-- The escalation sweep finds overdue work without scanning closed tickets.
create index tickets_overdue_response_idx on public.tickets (sla_response_deadline)
  where status in ('open', 'in_progress') and escalated_at is null and first_responded_at is null;
create index tickets_overdue_resolution_idx on public.tickets (sla_resolution_deadline)
  where status in ('open', 'in_progress') and escalated_at is null;
-- Routing counts each member's open work.
create index tickets_assigned_to_open_idx on public.tickets (assigned_to)
  where status in ('open', 'in_progress', 'escalated');

-- ---------------------------------------------------------------------
-- Status transitions
-- ---------------------------------------------------------------------
-- open -> in_progress | escalated | closed
-- in_progress -> escalated | resolved | closed
-- escalated -> in_progress | resolved | closed
-- resolved -> closed | in_progress (reopen)
-- closed -> open (reopen; managers and admins only)
create function private.transition_allowed(p_from text, p_to text) returns boolean
language sql immutable
set search_path = ''
as $$
  select (p_from, p_to) in (
    ('open', 'in_progress'), ('open', 'escalated'), ('open', 'closed'),
    ('in_progress', 'escalated'), ('in_progress', 'resolved'), ('in_progress', 'closed'),
    ('escalated', 'in_progress'), ('escalated', 'resolved'), ('escalated', 'closed'),
    ('resolved', 'closed'), ('resolved', 'in_progress'),
    ('closed', 'open'))
$$;

-- ---------------------------------------------------------------------
-- SLA: deadlines from sla_policies (default when none), status computed
-- ---------------------------------------------------------------------
-- The policy in force for a municipality and category, or the default:
-- 24 h to respond and 72 h to resolve (GBV: 1 h and 24 h), warning at 80 %.
create function private.sla_policy_for(p_tenant_id uuid, p_category text,
  out response_hours numeric, out resolution_hours numeric, out warning_threshold numeric)
language sql stable security definer
set search_path = ''
as $$
  select coalesce(p.response_hours, d.response_hours),
         coalesce(p.resolution_hours, d.resolution_hours),
         coalesce(p.warning_threshold, 0.80)
    from (select case when p_category = 'gbv' then 1.0 else 24.0 end as response_hours,
                 case when p_category = 'gbv' then 24.0 else 72.0 end as resolution_hours) d
    left join public.sla_policies p
      on p.tenant_id = p_tenant_id and p.category = p_category and p.is_active
$$;

-- The SLA status at instant p_at (pure, so its boundaries are testable):
-- breached_resolution once the resolution deadline has passed without a
-- resolution; breached_response once the response deadline has passed
-- without a first response (or the response came late); warning once the
-- running phase has used warning_threshold of its time; on_track otherwise.
-- A deadline is met at the deadline itself; breached strictly after it.
create function private.sla_status_at(
  p_created_at timestamptz, p_first_responded_at timestamptz, p_resolved_at timestamptz,
  p_response_deadline timestamptz, p_resolution_deadline timestamptz,
  p_warning_threshold numeric, p_at timestamptz
) returns text
language sql immutable
set search_path = ''
as $$
  select case
    when p_resolution_deadline is not null
         and coalesce(p_resolved_at, p_at) > p_resolution_deadline then 'breached_resolution'
    when p_response_deadline is not null
         and coalesce(p_first_responded_at, p_resolved_at, p_at) > p_response_deadline
      then 'breached_response'
    when p_resolved_at is not null then 'on_track'
    when p_first_responded_at is null and p_response_deadline is not null
         and p_at >= p_created_at + (p_response_deadline - p_created_at) * p_warning_threshold
      then 'warning'
    when p_resolution_deadline is not null
         and p_at >= p_created_at + (p_resolution_deadline - p_created_at) * p_warning_threshold
      then 'warning'
    else 'on_track'
  end
$$;

-- A ticket's SLA status now. Resolved and closed tickets are judged at the
-- moment they were resolved (or closed). Also a computed column for PostgREST
-- (`select=*,sla_status`).
create function public.sla_status(t public.tickets) returns text
language sql stable
set search_path = ''
as $$
  select private.sla_status_at(
    t.created_at, t.first_responded_at,
    case when t.status in ('resolved', 'closed') then coalesce(t.resolved_at, t.closed_at) end,
    t.sla_response_deadline, t.sla_resolution_deadline,
    (select p.warning_threshold from private.sla_policy_for(t.tenant_id, t.category) p),
    now())
$$;

-- ---------------------------------------------------------------------
-- Routing
-- ---------------------------------------------------------------------
-- The team for a ticket: sensitive -> the municipality's SAPS team, never
-- another; otherwise an active team handling the category whose service
-- area covers the location (the smallest such area), else the category's
-- default team. NULL when none fits.
create function private.team_for(p_tenant_id uuid, p_category text, p_is_sensitive boolean,
  p_location extensions.geography) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select coalesce(
    (select t.id from public.teams t
      where p_is_sensitive and t.tenant_id = p_tenant_id and t.is_active and t.is_saps
      order by t.is_default desc, t.created_at, t.id limit 1),
    (select t.id from public.teams t
      where not p_is_sensitive and p_location is not null
        and t.tenant_id = p_tenant_id and t.is_active and not t.is_saps
        and p_category = any (t.categories)
        and extensions.st_covers(t.service_area, p_location)
      order by extensions.st_area(t.service_area), t.created_at, t.id limit 1),
    (select t.id from public.teams t
      where not p_is_sensitive and t.tenant_id = p_tenant_id and t.is_active and not t.is_saps
        and t.is_default and p_category = any (t.categories)
      order by t.created_at, t.id limit 1))
$$;

-- The member of a team with the fewest open tickets (ties: longest in the team).
create function private.least_loaded_member(p_team_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select tm.user_id
    from public.team_members tm
    join public.profiles p on p.id = tm.user_id and p.is_active and p.deleted_at is null
   where tm.team_id = p_team_id
   order by (select count(*) from public.tickets t
              where t.assigned_to = tm.user_id
                and t.status in ('open', 'in_progress', 'escalated')),
            tm.created_at, tm.user_id
   limit 1
$$;

-- ---------------------------------------------------------------------
-- Lifecycle triggers on tickets
-- ---------------------------------------------------------------------
-- On filing: route at once and set the SLA deadlines. Named to run before
-- the other BEFORE INSERT triggers, so enforce_sensitive_routing checks the
-- team chosen here.
create function private.apply_lifecycle_on_insert() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_policy record;
begin
  if new.assigned_team_id is null then
    new.assigned_team_id := private.team_for(new.tenant_id, new.category, new.is_sensitive,
                                             new.location);
  end if;
  if new.assigned_team_id is not null and new.assigned_to is null then
    new.assigned_to := private.least_loaded_member(new.assigned_team_id);
  end if;
  select * into v_policy from private.sla_policy_for(new.tenant_id, new.category);
  new.sla_response_deadline := now() + make_interval(secs => v_policy.response_hours * 3600);
  new.sla_resolution_deadline := now() + make_interval(secs => v_policy.resolution_hours * 3600);
  return new;
end
$$;

create trigger apply_lifecycle_on_insert before insert on public.tickets
  for each row execute function private.apply_lifecycle_on_insert();

-- On update: the status rules, their timestamps, and SLA re-evaluation on
-- reassignment (deadlines from the policy now in force, counted from filing).
create function private.apply_lifecycle_on_update() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_role text := private.app_role();
  v_policy record;
begin
  if new.status is distinct from old.status then
    if new.status not in ('open', 'in_progress', 'escalated', 'resolved', 'closed') then
      raise exception 'unknown status "%"', new.status using errcode = 'SA422';
    end if;
    if not private.transition_allowed(old.status, new.status) then
      raise exception 'a ticket cannot go from % to %', old.status, new.status
        using errcode = 'SA409';
    end if;
    if old.status = 'closed' and coalesce(v_role, '') not in ('manager', 'admin') then
      raise exception 'only a manager or an admin can reopen a closed ticket'
        using errcode = 'SA409';
    end if;
    if new.status = 'in_progress' and old.first_responded_at is null then
      new.first_responded_at := now();
    end if;
    if new.status = 'resolved' then
      new.resolved_at := now();
    elsif new.status = 'closed' then
      new.closed_at := now();
    elsif new.status = 'escalated' then
      new.escalated_at := coalesce(new.escalated_at, now());
    end if;
    if old.status in ('resolved', 'closed') and new.status in ('in_progress', 'open') then
      new.resolved_at := null;
      new.closed_at := null;
    end if;
  end if;

  if new.assigned_team_id is distinct from old.assigned_team_id
     or new.assigned_to is distinct from old.assigned_to then
    if v_role not in ('manager', 'admin', 'saps_liaison') then
      raise exception 'only a manager, a liaison or an admin can reassign a ticket'
        using errcode = 'SA403';
    end if;
    if new.assigned_to is not null and (new.assigned_team_id is null or not exists (
         select 1 from public.team_members tm
          where tm.team_id = new.assigned_team_id and tm.user_id = new.assigned_to)) then
      raise exception 'the assignee is not a member of the assigned team' using errcode = 'SA422';
    end if;
    select * into v_policy from private.sla_policy_for(new.tenant_id, new.category);
    new.sla_response_deadline :=
      old.created_at + make_interval(secs => v_policy.response_hours * 3600);
    new.sla_resolution_deadline :=
      old.created_at + make_interval(secs => v_policy.resolution_hours * 3600);
  end if;
  return new;
end
$$;

create trigger apply_lifecycle_on_update before update on public.tickets
  for each row execute function private.apply_lifecycle_on_update();

-- Every assignment (at filing, by routing, by hand, by any path) is written
-- to ticket_assignments; the previous one stops being current.
create function private.record_assignment() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.assigned_team_id is not distinct from old.assigned_team_id
     and new.assigned_to is not distinct from old.assigned_to then
    return null;
  end if;
  if tg_op = 'INSERT' and new.assigned_team_id is null then
    return null;
  end if;
  update public.ticket_assignments set is_current = false
   where ticket_id = new.id and is_current;
  insert into public.ticket_assignments (tenant_id, ticket_id, team_id, assigned_to, assigned_by,
                                         reason)
  values (new.tenant_id, new.id, new.assigned_team_id, new.assigned_to, private.actor_id(),
          left(coalesce(nullif(current_setting('salga.assignment_reason', true), ''),
                        case when tg_op = 'INSERT' then 'routed on filing' end), 500));
  return null;
end
$$;

create trigger record_assignment after insert or update of assigned_team_id, assigned_to
  on public.tickets for each row execute function private.record_assignment();

-- ---------------------------------------------------------------------
-- Notification outbox: the reporter hears of each status change, in the
-- same transaction. Sensitive tickets enqueue nothing: the reporter is
-- never contacted first.
-- ---------------------------------------------------------------------
create function private.enqueue_status_notification() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.is_sensitive or new.status is not distinct from old.status
     or new.reporter_id is null then
    return null;
  end if;
  insert into public.notification_outbox (tenant_id, ticket_id, recipient, template_key,
                                          language, variables)
  select new.tenant_id, new.id, p.phone, 'ticket_status_changed', p.preferred_language,
         jsonb_build_object('tracking_number', new.tracking_number, 'status', new.status)
    from public.profiles p
   where p.id = new.reporter_id and p.phone is not null and p.deleted_at is null;
  return null;
end
$$;

create trigger enqueue_status_notification after update of status on public.tickets
  for each row execute function private.enqueue_status_notification();

-- ---------------------------------------------------------------------
-- Ticket events for Realtime: a small payload, no text, no personal data,
-- to municipality:{tenant} or (sensitive) gbv:{tenant}.
-- ---------------------------------------------------------------------
create function private.broadcast_ticket_change() returns trigger
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

create trigger broadcast_ticket_change after insert or update on public.tickets
  for each row execute function private.broadcast_ticket_change();

-- ---------------------------------------------------------------------
-- Escalation: every ticket past a deadline, once. Idempotent: escalated
-- tickets (escalated_at set) are never picked again.
-- ---------------------------------------------------------------------
create function private.escalate_overdue(p_now timestamptz default now()) returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  with overdue as (
    select t.id,
           case when t.sla_resolution_deadline < p_now then 'resolution deadline passed'
                else 'response deadline passed' end as reason
      from public.tickets t
     where t.status in ('open', 'in_progress') and t.escalated_at is null
       and t.sla_resolution_deadline < p_now
    union
    select t.id, 'response deadline passed'
      from public.tickets t
     where t.status in ('open', 'in_progress') and t.escalated_at is null
       and t.first_responded_at is null and t.sla_response_deadline < p_now
       and not coalesce(t.sla_resolution_deadline < p_now, false)
  )
  update public.tickets t
     set status = 'escalated', escalated_at = p_now, escalation_reason = o.reason
    from overdue o
   where t.id = o.id;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- ---------------------------------------------------------------------
-- RPCs for staff. Assigning is security definer (it writes assignment
-- history and reads teams) but first checks the caller's role and that the
-- caller can see the ticket; a status change runs as the caller, under RLS.
-- ---------------------------------------------------------------------
-- Assign a ticket: to p_team_id (and p_assigned_to, else the team's least
-- loaded member), or, without a team, by the routing rules.
create function private.assign(p_ticket_id uuid, p_team_id uuid, p_assigned_to uuid,
  p_reason text) returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  v_ticket public.tickets;
  v_team public.teams;
begin
  select * into v_ticket from public.tickets where id = p_ticket_id for update;
  if not found then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  if p_team_id is null then
    p_team_id := private.team_for(v_ticket.tenant_id, v_ticket.category, v_ticket.is_sensitive,
                                  v_ticket.location);
    if p_team_id is null then
      raise exception '%', case when v_ticket.is_sensitive
        then 'no SAPS team is configured for this municipality; the report stays unassigned'
        else format('no team handles %s reports here; assign a team by hand',
                    v_ticket.category) end
        using errcode = 'SA422';
    end if;
  end if;
  select * into v_team from public.teams where id = p_team_id and tenant_id = v_ticket.tenant_id;
  if not found then
    raise exception 'team not found' using errcode = 'SA404';
  end if;
  if not v_team.is_active then
    raise exception 'team "%" is not active', v_team.name using errcode = 'SA422';
  end if;
  if v_ticket.is_sensitive and not v_team.is_saps then
    raise exception 'a sensitive report can only be assigned to a SAPS team' using errcode = 'SA422';
  end if;
  p_assigned_to := coalesce(p_assigned_to, private.least_loaded_member(p_team_id));
  perform set_config('salga.assignment_reason', coalesce(p_reason, ''), true);
  update public.tickets set assigned_team_id = p_team_id, assigned_to = p_assigned_to
   where id = p_ticket_id;
  perform set_config('salga.assignment_reason', '', true);
  return p_team_id;
end
$$;

create function public.assign_ticket(p_ticket_id uuid, p_team_id uuid default null,
  p_assigned_to uuid default null, p_reason text default null) returns uuid
language plpgsql security definer
set search_path = ''
as $$
begin
  if coalesce(private.app_role(), '') not in ('manager', 'admin', 'saps_liaison') then
    raise exception 'only a manager, a liaison or an admin can assign tickets'
      using errcode = 'SA403';
  end if;
  -- The caller's own visibility decides: a ticket they cannot see does not exist.
  if not private.can_see_ticket(p_ticket_id) then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  return private.assign(p_ticket_id, p_team_id, p_assigned_to, p_reason);
end
$$;

-- Auto-route a ticket (the RPC managers and admins call).
create function public.route_ticket(p_ticket_id uuid, p_reason text default 'auto-routed')
returns uuid
language sql
set search_path = ''
as $$
  select public.assign_ticket(p_ticket_id, null, null, p_reason)
$$;

-- Change a ticket's status as the caller (RLS decides who may). A no-op
-- change is refused; escalating by hand records the reason.
create function public.set_ticket_status(p_ticket_id uuid, p_status text,
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

-- What the reporter may know of the report they just filed (they cannot
-- read a sensitive report back through RLS): no text, no team.
create function private.report_receipt(p_ticket_id uuid) returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object(
           'id', t.id, 'tenant_id', t.tenant_id, 'tracking_number', t.tracking_number,
           'status', t.status, 'category', t.category, 'priority', t.priority,
           'is_sensitive', t.is_sensitive, 'created_at', t.created_at,
           'assigned_team_id', case when t.is_sensitive then null else t.assigned_team_id end,
           'sla_response_deadline', t.sla_response_deadline,
           'sla_resolution_deadline', t.sla_resolution_deadline)
    from public.tickets t
   where t.id = p_ticket_id
     and (t.reporter_id = (select auth.uid()) or (select auth.role()) = 'service_role'
          or (select auth.jwt()) is null)
$$;

-- ---------------------------------------------------------------------
-- Reads of decrypted sensitive text are recorded (who, when, from where).
-- Append-only, outside the exposed schemas; the ticket's history shows them
-- to those who may see the ticket.
-- ---------------------------------------------------------------------
create table private.sensitive_reads (
  id bigint generated always as identity primary key,
  tenant_id uuid not null,
  ticket_id uuid not null references public.tickets (id) on delete cascade,
  actor_id uuid,
  actor_role text,
  client_ip text,
  user_agent text,
  read_at timestamptz not null default now()
);
create index sensitive_reads_ticket_idx on private.sensitive_reads (ticket_id, read_at);
revoke all on private.sensitive_reads from public, anon, authenticated, service_role;

create function private.record_sensitive_read(p_ticket_id uuid) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  if not private.can_see_ticket(p_ticket_id) then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  insert into private.sensitive_reads (tenant_id, ticket_id, actor_id, actor_role, client_ip,
                                       user_agent)
  select t.tenant_id, t.id, private.actor_id(), private.app_role(),
         nullif(current_setting('app.client_ip', true), ''),
         nullif(current_setting('app.user_agent', true), '')
    from public.tickets t where t.id = p_ticket_id;
end
$$;

-- Audit entries of a ticket the caller can see, oldest first.
create function private.ticket_audit_entries(p_ticket_id uuid)
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

-- ---------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------
revoke all on function private.transition_allowed(text, text),
  private.sla_policy_for(uuid, text),
  private.sla_status_at(timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, numeric,
                        timestamptz),
  private.team_for(uuid, text, boolean, extensions.geography),
  private.least_loaded_member(uuid),
  private.apply_lifecycle_on_insert(), private.apply_lifecycle_on_update(),
  private.record_assignment(), private.enqueue_status_notification(),
  private.broadcast_ticket_change(), private.escalate_overdue(timestamptz),
  private.assign(uuid, uuid, uuid, text), private.report_receipt(uuid),
  private.record_sensitive_read(uuid), private.ticket_audit_entries(uuid)
  from public, anon, authenticated;
revoke all on function public.sla_status(public.tickets),
  public.assign_ticket(uuid, uuid, uuid, text), public.route_ticket(uuid, text),
  public.set_ticket_status(uuid, text, text) from public, anon;

grant execute on function private.transition_allowed(text, text),
  private.sla_policy_for(uuid, text),
  private.sla_status_at(timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, numeric,
                        timestamptz),
  public.sla_status(public.tickets), private.report_receipt(uuid),
  private.record_sensitive_read(uuid), private.ticket_audit_entries(uuid),
  public.set_ticket_status(uuid, text, text), public.assign_ticket(uuid, uuid, uuid, text),
  public.route_ticket(uuid, text)
  to authenticated, service_role;
grant execute on function private.assign(uuid, uuid, uuid, text) to service_role;
grant execute on function private.escalate_overdue(timestamptz) to service_role;

-- ---------------------------------------------------------------------
-- Schedule: escalate every minute with pg_cron, where the cluster runs it
-- (its database only; test databases skip this).
-- ---------------------------------------------------------------------
do $$
begin
  if current_database() = coalesce(current_setting('cron.database_name', true), '')
     and exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    if not exists (select 1 from pg_extension where extname = 'pg_cron') then
      create extension pg_cron;
      comment on extension pg_cron is 'Job scheduler (installed by migration 0004).';
    end if;
    perform cron.schedule('salga-escalate-overdue', '* * * * *',
                          'select private.escalate_overdue()');
  end if;
end
$$;
