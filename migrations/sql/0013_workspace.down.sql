-- 0013 undone: statistics, list indexes, protected casework, internal notes.
drop function if exists public.ticket_stats(timestamptz, timestamptz);
drop index if exists public.tickets_tenant_priority_idx;
drop index if exists public.tickets_tenant_updated_idx;
drop index if exists public.tickets_tenant_deadline_idx;
drop index if exists public.tickets_address_trgm_idx;
drop trigger if exists open_protected_casework on public.tickets;
drop table if exists public.protected_casework;
drop function if exists private.open_protected_casework();
drop function if exists private.stamp_acknowledgement();
drop table if exists public.ticket_notes;
drop function if exists private.stamp_note_from_its_ticket();
drop policy if exists "Staff read their municipality's staff profiles" on public.profiles;
