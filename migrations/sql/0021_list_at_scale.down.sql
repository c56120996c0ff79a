-- 0021 undone.
drop function if exists private.readable_tickets_at_address(text);
drop index if exists public.tickets_tracking_number_c_idx;
drop index if exists public.tickets_tenant_unfinished_idx;

-- The statistics as 0013 wrote them.
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
    select t.*, tm.name as team_name
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

