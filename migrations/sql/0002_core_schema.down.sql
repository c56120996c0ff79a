-- 0002 Core schema, undone (reverse order of creation).
drop table if exists public.notification_outbox;
drop table if exists public.consent_records;
drop table if exists public.media_attachments;
drop table if exists public.sla_policies;
drop table if exists public.ticket_assignments;
drop table if exists public.tickets;
drop table if exists private.tracking_counters;
drop table if exists public.team_members;
drop table if exists public.teams;
drop function if exists private.keep_sensitive();
drop function if exists private.enforce_sensitive_routing();
drop function if exists private.assign_tracking_number();
drop function if exists private.can_see_ticket(uuid);
drop function if exists private.my_team_ids();
drop function if exists private.sees_all_non_sensitive();
drop function if exists private.sees_sensitive();
drop function if exists private.is_staff();
