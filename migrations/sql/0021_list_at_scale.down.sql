-- 0021 undone.
drop function if exists private.readable_tickets_at_address(text);
drop index if exists public.tickets_tracking_number_c_idx;
drop index if exists public.tickets_tenant_unfinished_idx;
