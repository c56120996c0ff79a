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
-- Field workers take a ticket of their team on (assign it to themselves),
-- as the ticket guard of 0003 already allows; until now the lifecycle
-- trigger refused every change of assignee by a field worker. Only
-- themselves, only within the same team (and, as before, only as a member
-- of it; RLS keeps them to their teams' ordinary tickets). The rest of the
-- function is 0004's, unchanged.
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
    select * into v_policy from private.sla_policy_for(new.tenant_id, new.category);
    new.sla_response_deadline :=
      old.created_at + make_interval(secs => v_policy.response_hours * 3600);
    new.sla_resolution_deadline :=
      old.created_at + make_interval(secs => v_policy.resolution_hours * 3600);
    new.sla_warning_threshold := v_policy.warning_threshold;
  end if;
  return new;
end
$$;

