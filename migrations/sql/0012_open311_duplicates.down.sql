-- 0012 undone: Open311, followers, merging and duplicate detection.
drop schema if exists open311 cascade;
drop function if exists private.open311_client(text, text);
drop function if exists public.merge_ticket(uuid, uuid, text);
drop trigger if exists record_ticket_update on public.tickets;
drop function if exists private.record_ticket_update();
drop trigger if exists enqueue_follower_notifications on public.tickets;
drop function if exists private.enqueue_follower_notifications();
drop function if exists public.follow_ticket(uuid, uuid, text);
drop function if exists private.possible_duplicates(uuid, text, double precision,
  double precision, uuid, integer, timestamptz);
create or replace function private.audit_tables_for_managers() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['municipalities', 'profiles', 'teams', 'team_members', 'tickets',
               'ticket_assignments', 'sla_policies', 'media_attachments']
$$;
update public.whatsapp_conversations set state = 'confirm' where state = 'duplicate';
alter table public.whatsapp_conversations drop constraint whatsapp_conversations_state_check;
alter table public.whatsapp_conversations add constraint whatsapp_conversations_state_check
  check (state in ('language', 'consent', 'menu', 'sensitive_consent', 'description',
                   'location', 'photos', 'confirm', 'opted_out'));
drop table if exists public.ticket_updates;
drop table if exists public.open311_submissions;
drop table if exists public.open311_clients;
drop table if exists public.ticket_followers;
drop table if exists public.duplicate_rules;
drop index if exists public.tickets_tenant_ordinary_created_idx;
drop index if exists public.tickets_open_ordinary_location_idx;
drop index if exists public.tickets_duplicate_of_idx;
alter table public.tickets drop column if exists duplicate_of;
