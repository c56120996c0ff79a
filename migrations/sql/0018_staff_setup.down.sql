-- 0018 undone.
-- 0004's lifecycle rules again (no taking on by field workers).
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
    new.sla_warning_threshold := v_policy.warning_threshold;
  end if;
  return new;
end
$$;


-- SLA policies per category only again (priority overrides are dropped).
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
  select * into v_policy from private.sla_policy_for(new.tenant_id, new.category);
  new.sla_response_deadline := now() + make_interval(secs => v_policy.response_hours * 3600);
  new.sla_resolution_deadline := now() + make_interval(secs => v_policy.resolution_hours * 3600);
  new.sla_warning_threshold := v_policy.warning_threshold;
  return new;
end
$$;

create or replace function private.sla_policy_for(p_tenant_id uuid, p_category text,
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
drop function if exists private.sla_policy_for(uuid, text, text);
delete from public.sla_policies where priority <> 'any';
alter table public.sla_policies drop constraint sla_policies_tenant_id_category_priority_key;
alter table public.sla_policies drop column priority;
alter table public.sla_policies
  add constraint sla_policies_tenant_id_category_key unique (tenant_id, category);

drop policy if exists "Admins set their municipality's WhatsApp number"
  on public.municipalities;
revoke update (whatsapp_number) on public.municipalities from authenticated;
drop table if exists public.staff_invitations;
