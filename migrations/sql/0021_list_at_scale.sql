-- =====================================================================
-- 0021 The ticket list at a million tickets
-- scripts/bench_tickets runs the staff workspace against 1,000,000 tickets
-- (eight municipalities, two years) and EXPLAINs each query as a manager.
-- Three gaps showed, each from row-level security: a policy's quals must
-- run before any operator that is not LEAKPROOF, so such an operator never
-- drives an index scan and the query reads every row of the municipality.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Statistics: "overdue now" counts the municipality's unfinished tickets.
-- The predicate is written as public.ticket_stats writes it, so the planner
-- proves the index applies (a few thousand rows instead of every ticket).
-- ---------------------------------------------------------------------
create index tickets_tenant_unfinished_idx on public.tickets (tenant_id)
  where status not in ('resolved', 'closed');

-- ---------------------------------------------------------------------
-- Search by tracking number: LIKE is not leakproof (and a prefix LIKE needs
-- the C collation besides), so the list asks for the range [prefix, next
-- prefix) with comparisons that are leakproof, in the C collation where a
-- prefix's range is exactly the strings that start with it, whatever the
-- database's collation.
-- ---------------------------------------------------------------------
create index tickets_tracking_number_c_idx on public.tickets (tracking_number collate "C");

-- ---------------------------------------------------------------------
-- Search by address words: ILIKE (and every trigram operator) is not
-- leakproof, so under RLS the trigram index of 0013 was never used. This
-- helper runs the indexed search and returns only tickets the caller may
-- read (the read policy's rules, as private.can_see_ticket states them);
-- the list still reads the tickets under RLS as the caller.
-- ---------------------------------------------------------------------
create function private.readable_tickets_at_address(p_pattern text) returns setof uuid
language sql stable security definer
set search_path = ''
rows 200
as $$
  select t.id
    from public.tickets t, private.caller() c
   where t.tenant_id = c.tenant_id
     and t.address ilike p_pattern
     and case
           when t.is_sensitive then c.role in ('saps_liaison', 'admin')
           when c.role in ('manager', 'admin') then true
           when c.role = 'field_worker'
             then t.assigned_team_id in (select tm.team_id from public.team_members tm
                                          where tm.user_id = c.user_id)
           when c.role = 'citizen' then t.reporter_id = c.user_id
           else false
         end
$$;
revoke all on function private.readable_tickets_at_address(text) from public, anon;
grant execute on function private.readable_tickets_at_address(text) to authenticated;
