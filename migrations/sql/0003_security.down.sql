-- =====================================================================
-- 0003 Security, undone: audit trail removed, 0002's baseline policies back.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Audit trail
-- ---------------------------------------------------------------------
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.unschedule(jobid) from cron.job where jobname = 'salga-audit-partitions';
    if obj_description((select oid from pg_extension where extname = 'pg_cron'), 'pg_extension')
       = 'Job scheduler (installed by migration 0003).' then
      drop extension pg_cron;
    end if;
  end if;
end
$$;

drop trigger audit_row on public.municipalities;
drop trigger audit_row on public.profiles;
drop trigger audit_row on public.teams;
drop trigger audit_row on public.team_members;
drop trigger audit_row on public.tickets;
drop trigger audit_row on public.ticket_assignments;
drop trigger audit_row on public.sla_policies;
drop trigger audit_row on public.media_attachments;
drop trigger audit_row on public.consent_records;
drop trigger audit_row on public.notification_outbox;

-- Dropping the parent drops its partitions (and their truncate triggers).
drop table public.audit_log;
drop function private.audit_row();
drop function private.create_audit_partitions(integer);
drop function private.ensure_audit_partition(timestamptz);
drop function private.refuse_audit_change();
drop function private.audit_tables_for_managers();

-- ---------------------------------------------------------------------
-- Media
-- ---------------------------------------------------------------------
drop policy "Users attach media to tickets they can see or to themselves"
  on public.media_attachments;
create policy "Users attach media to tickets they can see or to themselves"
  on public.media_attachments for insert to authenticated
  with check (tenant_id = (select private.tenant_id())
              and ((ticket_id is not null and private.can_see_ticket(ticket_id))
                   or (ticket_id is null and user_id = (select auth.uid()))));
drop policy "Users read media of tickets they can see" on public.media_attachments;
create policy "Users read media of tickets they can see"
  on public.media_attachments for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and ((ticket_id is not null and private.can_see_ticket(ticket_id))
              or (ticket_id is null and user_id = (select auth.uid()))
              or (ticket_id is null and purpose = 'proof_of_residence'
                  and (select private.sees_all_non_sensitive()))));

-- ---------------------------------------------------------------------
-- Assignments and tickets
-- ---------------------------------------------------------------------
drop policy "Managers, liaisons and admins record assignments of tickets they can see"
  on public.ticket_assignments;
create policy "Managers, liaisons and admins record assignments of tickets they can see"
  on public.ticket_assignments for insert to authenticated
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) in ('manager', 'admin', 'saps_liaison')
              and private.can_see_ticket(ticket_id));

drop policy "Users read their municipality's tickets as their role allows" on public.tickets;
create policy "Citizens read their own ordinary reports"
  on public.tickets for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'citizen'
         and reporter_id = (select auth.uid())
         and not is_sensitive);
create policy "Field workers read their teams' ordinary tickets"
  on public.tickets for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'field_worker'
         and not is_sensitive
         and assigned_team_id = any ((select private.my_team_ids())::uuid[]));
create policy "Managers read their municipality's ordinary tickets"
  on public.tickets for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'manager'
         and not is_sensitive);
create policy "SAPS liaisons read their municipality's sensitive tickets"
  on public.tickets for select to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) = 'saps_liaison'
         and is_sensitive);
create policy "Admins read all their municipality's tickets"
  on public.tickets for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');

drop trigger guard_ticket_changes on public.tickets;
drop function private.guard_ticket_changes();

-- ---------------------------------------------------------------------
-- Teams and members
-- ---------------------------------------------------------------------
drop policy "Managers manage members of their municipality's ordinary teams"
  on public.team_members;
drop policy "Admins manage their municipality's team members" on public.team_members;
create policy "Managers and admins manage their municipality's team members"
  on public.team_members for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_all_non_sensitive()))
  with check (tenant_id = (select private.tenant_id())
              and (select private.sees_all_non_sensitive()));

drop policy "Managers manage their municipality's ordinary teams" on public.teams;
drop policy "Admins manage their municipality's teams" on public.teams;
create policy "Managers and admins manage their municipality's teams"
  on public.teams for all to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_all_non_sensitive()))
  with check (tenant_id = (select private.tenant_id())
              and (select private.sees_all_non_sensitive())
              and (not is_saps or (select private.app_role()) = 'admin'));

-- ---------------------------------------------------------------------
-- Profiles
-- ---------------------------------------------------------------------
drop trigger guard_profile_changes on public.profiles;
drop function private.guard_profile_changes();
drop policy "Admins manage their municipality's profiles" on public.profiles;
drop policy "SAPS liaisons read their municipality's staff and the people they help"
  on public.profiles;
drop policy "Managers and admins read their municipality's profiles" on public.profiles;
revoke update (role, is_active, phone, deleted_at) on public.profiles from authenticated;
drop index public.profiles_tenant_role_idx;

-- ---------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------
drop function private.reported_sensitive_ticket(uuid);
drop function private.profile_in_my_tenant(uuid);
drop function private.team_in_my_tenant(uuid, boolean);
drop function private.role_rank(text);
