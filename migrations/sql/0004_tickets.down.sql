-- =====================================================================
-- 0004 Ticket lifecycle, undone (reverse order of the upgrade)
-- =====================================================================

-- Schedule (only where the upgrade created it)
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.unschedule(jobid) from cron.job where jobname = 'salga-escalate-overdue';
    if obj_description((select oid from pg_extension where extname = 'pg_cron'), 'pg_extension')
       = 'Job scheduler (installed by migration 0004).' then
      drop extension pg_cron;
    end if;
  end if;
end
$$;

-- Reads of sensitive text
drop function private.ticket_audit_entries(uuid);
drop function private.record_sensitive_read(uuid);
drop table private.sensitive_reads;

-- RPCs
drop function private.report_receipt(uuid);
drop function public.set_ticket_status(uuid, text, text);
drop function public.route_ticket(uuid, text);
drop function public.assign_ticket(uuid, uuid, uuid, text);
drop function private.assign(uuid, uuid, uuid, text);

-- Escalation
drop function private.escalate_overdue(timestamptz);

-- Triggers and their functions
drop trigger broadcast_ticket_change on public.tickets;
drop function private.broadcast_ticket_change();
drop trigger enqueue_status_notification on public.tickets;
drop function private.enqueue_status_notification();
drop trigger record_assignment on public.tickets;
drop function private.record_assignment();
drop trigger apply_lifecycle_on_update on public.tickets;
drop function private.apply_lifecycle_on_update();
drop trigger apply_lifecycle_on_insert on public.tickets;
drop function private.apply_lifecycle_on_insert();

-- Routing
drop function private.least_loaded_member(uuid);
drop function private.team_for(uuid, text, boolean, extensions.geography);

-- SLA
drop function public.sla_status(public.tickets);
drop function private.sla_status_at(timestamptz, timestamptz, timestamptz, timestamptz,
                                    timestamptz, numeric, timestamptz);
drop function private.sla_policy_for(uuid, text);

-- Transitions
drop function private.transition_allowed(text, text);

-- Indexes
drop index public.tickets_assigned_to_open_idx;
drop index public.tickets_overdue_resolution_idx;
drop index public.tickets_overdue_response_idx;
