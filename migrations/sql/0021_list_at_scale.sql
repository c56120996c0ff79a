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

-- ---------------------------------------------------------------------
-- Statistics over a year: the period was materialized with every column of
-- every ticket (descriptions too) and scanned a dozen times; only the
-- columns the figures use are kept now (the same answer, half the time at
-- 200,000 tickets a year).
-- ---------------------------------------------------------------------
create or replace function public.ticket_stats(p_from timestamptz, p_to timestamptz) returns jsonb
language plpgsql stable security invoker
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  if not coalesce(private.is_staff(), false) then
    raise exception 'statistics are for municipal staff' using errcode = 'SA403';
  end if;
  if p_to <= p_from or p_to - p_from > interval '366 days' then
    raise exception 'the period must be positive and at most a year' using errcode = 'SA422';
  end if;
  with period as (
    select t.status, t.category, t.created_at, t.first_responded_at, t.resolved_at,
           t.closed_at, t.sla_resolution_deadline, tm.name as team_name
      from public.tickets t
      left join public.teams tm on tm.id = t.assigned_team_id
     where t.tenant_id = (select private.tenant_id())
       and t.created_at >= p_from and t.created_at < p_to
  ),
  resolved as (
    select p.*, coalesce(p.resolved_at, p.closed_at) as done_at from period p
     where coalesce(p.resolved_at, p.closed_at) is not null
  )
  select jsonb_build_object(
    'from', p_from, 'to', p_to,
    'total', (select count(*) from period),
    'by_status', coalesce((select jsonb_object_agg(status, n) from (
        select status, count(*) as n from period group by status) s), '{}'),
    'by_category', coalesce((select jsonb_object_agg(category, n) from (
        select category, count(*) as n from period group by category) s), '{}'),
    'by_team', coalesce((select jsonb_agg(jsonb_build_object('team', team_name, 'count', n)
                                          order by n desc) from (
        select coalesce(team_name, 'Unassigned') as team_name, count(*) as n
          from period group by 1) s), '[]'),
    'overdue_now', (select count(*) from public.tickets t
                     where t.tenant_id = (select private.tenant_id())
                       and t.status not in ('resolved', 'closed')
                       and (t.sla_resolution_deadline < now()
                            or (t.first_responded_at is null
                                and t.sla_response_deadline < now()))),
    'median_first_response_hours', (select round((percentile_cont(0.5) within group (
        order by extract(epoch from p.first_responded_at - p.created_at)) / 3600)::numeric, 2)
        from period p where p.first_responded_at is not null),
    'median_resolution_hours', (select round((percentile_cont(0.5) within group (
        order by extract(epoch from r.done_at - r.created_at)) / 3600)::numeric, 2)
        from resolved r),
    'sla_attainment_by_team', coalesce((select jsonb_agg(jsonb_build_object(
        'team', team, 'resolved', n, 'within_sla', ok,
        'attainment', round(ok::numeric / nullif(n, 0), 3)) order by team) from (
        select coalesce(r.team_name, 'Unassigned') as team, count(*) as n,
               count(*) filter (where r.done_at <= r.sla_resolution_deadline) as ok
          from resolved r group by 1) s), '[]'),
    'sla_attainment_by_category', coalesce((select jsonb_agg(jsonb_build_object(
        'category', category, 'resolved', n, 'within_sla', ok,
        'attainment', round(ok::numeric / nullif(n, 0), 3)) order by category) from (
        select r.category, count(*) as n,
               count(*) filter (where r.done_at <= r.sla_resolution_deadline) as ok
          from resolved r group by 1) s), '[]'),
    'trend', coalesce((select jsonb_agg(jsonb_build_object(
        'day', d.day, 'created', coalesce(c.n, 0), 'resolved', coalesce(r.n, 0))
        order by d.day) from (
        select g::date as day
          from generate_series(date_trunc('day', p_from), p_to - interval '1 microsecond',
                               interval '1 day') g) d
        left join (select p.created_at::date as day, count(*) as n from period p group by 1) c
          on c.day = d.day
        left join (select r.done_at::date as day, count(*) as n from resolved r group by 1) r
          on r.day = d.day), '[]')
  ) into v_result;
  return v_result;
end
$$;

