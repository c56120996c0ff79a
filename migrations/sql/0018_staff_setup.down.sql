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


drop policy if exists "Admins set their municipality's WhatsApp number"
  on public.municipalities;
revoke update (whatsapp_number) on public.municipalities from authenticated;
drop table if exists public.staff_invitations;
