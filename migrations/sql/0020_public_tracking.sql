-- =====================================================================
-- 0020 Public tracking
-- Anyone holding a tracking number may see how that report is going:
-- its status, its category and the dates it changed. Nothing else (no
-- description, no place, nothing about a person), and a protected report
-- answers exactly as a number that does not exist.
-- Runs unchanged on a Supabase project and on the local platform.
-- =====================================================================

-- ---------------------------------------------------------------------
-- The one door. Security definer because anon reads no table; it lives in
-- public (anon has no usage on schema private), like privacy_notice.
-- Protected reports: the filter is part of the same single lookup on the
-- unique tracking-number index, so a protected reference costs what an
-- unknown one costs and returns the same nothing. The status history comes
-- from ticket_updates, which never holds a protected report's changes.
-- Input is normalised (trimmed, upper case) and anything longer than a
-- reference can be is answered with nothing without a lookup.
-- ---------------------------------------------------------------------
create function public.track_report(p_tracking_number text)
returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object(
           'tracking_number', t.tracking_number,
           'status', t.status,
           'category', t.category,
           'created_at', t.created_at,
           'resolved_at', t.resolved_at,
           'closed_at', t.closed_at,
           'history', coalesce((
             select jsonb_agg(jsonb_build_object('status', u.status, 'at', u.created_at)
                              order by u.created_at)
               from public.ticket_updates u
              where u.ticket_id = t.id), '[]'::jsonb))
    from public.tickets t
   where length(coalesce(p_tracking_number, '')) <= 40
     and t.tracking_number = upper(btrim(p_tracking_number))
     and not t.is_sensitive
$$;
comment on function public.track_report(text) is
  'Status, category and dates of an ordinary report by its tracking number, for anyone; '
  'nothing for a protected or unknown one.';

revoke all on function public.track_report(text) from public;
grant execute on function public.track_report(text) to anon, authenticated, service_role;
