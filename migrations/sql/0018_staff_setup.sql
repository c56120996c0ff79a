-- =====================================================================
-- 0018 Staff set-up
-- What an administrator needs to set a municipality up without SQL:
-- staff invitations decided by the database (never above one's own role,
-- never oneself, only admins, only their own municipality), and the
-- municipality's WhatsApp number, which only its admins change.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Staff invitations: one row per person invited, written by the inviting
-- admin as themselves before Auth is asked to send the email, so that the
-- policy below — not the API — decides whether an invitation may exist.
-- Append-only: the record of who invited whom, with which role, stays.
-- ---------------------------------------------------------------------
create table public.staff_invitations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  email text not null
    check (email = lower(btrim(email)) and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
           and length(email) <= 254),
  full_name text not null check (length(btrim(full_name)) between 2 and 120),
  role text not null check (role in ('field_worker', 'manager', 'saps_liaison', 'admin')),
  team_id uuid references public.teams (id),
  invited_by uuid not null default auth.uid() references public.profiles (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, email)
);
create index staff_invitations_team_idx on public.staff_invitations (team_id);

create trigger stamp_row before insert or update on public.staff_invitations
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.staff_invitations
  for each row execute function private.audit_row();

alter table public.staff_invitations enable row level security;
alter table public.staff_invitations force row level security;
revoke all on public.staff_invitations from anon, authenticated;
grant select on public.staff_invitations to authenticated;
grant insert (tenant_id, email, full_name, role, team_id) on public.staff_invitations
  to authenticated;
grant all on public.staff_invitations to service_role;

create policy "Admins read their municipality's staff invitations"
  on public.staff_invitations for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');

-- The rules of role changes (0003's profile guard) hold for invitations too:
-- never a role above the inviter's, never the inviter's own address, and a
-- team only of the same municipality.
create policy "Admins invite staff to their municipality at or below their own role"
  on public.staff_invitations for insert to authenticated
  with check (
    tenant_id = (select private.tenant_id())
    and (select private.app_role()) = 'admin'
    and private.role_rank(role) <= private.role_rank((select private.app_role()))
    and invited_by = (select auth.uid())
    and email <> lower(coalesce((select auth.jwt()) ->> 'email', ''))
    and (team_id is null or exists (
          select 1 from public.teams t
           where t.id = team_id and t.tenant_id = (select private.tenant_id())
             and t.is_active)));

-- ---------------------------------------------------------------------
-- The municipality's WhatsApp number: its admins set it (the number
-- citizens write to; the webhook finds the municipality by it).
-- ---------------------------------------------------------------------
grant update (whatsapp_number) on public.municipalities to authenticated;

create policy "Admins set their municipality's WhatsApp number"
  on public.municipalities for update to authenticated
  using (id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (id = (select private.tenant_id()) and (select private.app_role()) = 'admin');

-- ---------------------------------------------------------------------
-- SLA policies per category AND priority. A policy with priority 'any'
-- is the category's baseline (every existing row becomes one); a policy
-- for a priority overrides it for tickets of that priority. Deadlines are
-- set at filing and re-evaluated when the priority (or assignment) changes,
-- always counted from filing.
-- ---------------------------------------------------------------------
alter table public.sla_policies
  add column priority text not null default 'any'
    check (priority in ('any', 'low', 'normal', 'high', 'urgent'));
alter table public.sla_policies drop constraint sla_policies_tenant_id_category_key;
alter table public.sla_policies
  add constraint sla_policies_tenant_id_category_priority_key
  unique (tenant_id, category, priority);

-- The policy in force for a ticket of this category and priority: the
-- priority's own, else the category's baseline, else the default (24 h / 72 h;
-- GBV 1 h / 24 h). Not callable by users (the triggers' helper).
create function private.sla_policy_for(p_tenant_id uuid, p_category text, p_priority text,
  out response_hours numeric, out resolution_hours numeric, out warning_threshold numeric)
language sql stable security definer
set search_path = ''
as $$
  select coalesce(p.response_hours, d.response_hours),
         coalesce(p.resolution_hours, d.resolution_hours),
         coalesce(p.warning_threshold, 0.80)
    from (select case when p_category = 'gbv' then 1.0 else 24.0 end as response_hours,
                 case when p_category = 'gbv' then 24.0 else 72.0 end as resolution_hours) d
    left join lateral (
      select s.response_hours, s.resolution_hours, s.warning_threshold
        from public.sla_policies s
       where s.tenant_id = p_tenant_id and s.category = p_category and s.is_active
         and s.priority in (p_priority, 'any')
       order by (s.priority = p_priority) desc
       limit 1) p on true
$$;
revoke all on function private.sla_policy_for(uuid, text, text) from public, anon, authenticated;

-- The category-only form answers with the baseline (kept for its callers).
create or replace function private.sla_policy_for(p_tenant_id uuid, p_category text,
  out response_hours numeric, out resolution_hours numeric, out warning_threshold numeric)
language sql stable security definer
set search_path = ''
as $$
  select * from private.sla_policy_for(p_tenant_id, p_category, 'any')
$$;

create or replace function private.apply_lifecycle_on_insert() returns trigger
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
  select * into v_policy from private.sla_policy_for(new.tenant_id, new.category, new.priority);
  new.sla_response_deadline := now() + make_interval(secs => v_policy.response_hours * 3600);
  new.sla_resolution_deadline := now() + make_interval(secs => v_policy.resolution_hours * 3600);
  new.sla_warning_threshold := v_policy.warning_threshold;
  return new;
end
$$;

-- ---------------------------------------------------------------------
-- Field workers take a ticket of their team on (assign it to themselves),
-- as the ticket guard of 0003 already allows; until now the lifecycle
-- trigger refused every change of assignee by a field worker. Only
-- themselves, only within the same team (and, as before, only as a member
-- of it; RLS keeps them to their teams' ordinary tickets). Deadlines now
-- follow the priority too (the next section); otherwise 0004's rules.
-- ---------------------------------------------------------------------
create or replace function private.apply_lifecycle_on_update() returns trigger
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
    if v_role not in ('manager', 'admin', 'saps_liaison')
       and not (v_role = 'field_worker'
                and new.assigned_team_id is not distinct from old.assigned_team_id
                and new.assigned_to = (select auth.uid())) then
      raise exception 'only a manager, a liaison or an admin can reassign a ticket'
        using errcode = 'SA403';
    end if;
    if new.assigned_to is not null and (new.assigned_team_id is null or not exists (
         select 1 from public.team_members tm
          where tm.team_id = new.assigned_team_id and tm.user_id = new.assigned_to)) then
      raise exception 'the assignee is not a member of the assigned team' using errcode = 'SA422';
    end if;
  end if;
  if new.assigned_team_id is distinct from old.assigned_team_id
     or new.assigned_to is distinct from old.assigned_to
     or new.priority is distinct from old.priority then
    select * into v_policy
      from private.sla_policy_for(new.tenant_id, new.category, new.priority);
    new.sla_response_deadline :=
      old.created_at + make_interval(secs => v_policy.response_hours * 3600);
    new.sla_resolution_deadline :=
      old.created_at + make_interval(secs => v_policy.resolution_hours * 3600);
    new.sla_warning_threshold := v_policy.warning_threshold;
  end if;
  return new;
end
$$;

