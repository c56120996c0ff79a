-- =====================================================================
-- 0003 Security, undone: audit trail and profile rules removed.
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
-- Tickets
-- ---------------------------------------------------------------------
drop trigger guard_ticket_changes on public.tickets;
drop function private.guard_ticket_changes();

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
drop function private.role_rank(text);
