-- Undo 0024: the reporter's words back in clear (0017), the history as in 0008.
create or replace function private.reopen_for_reporter(p_tenant_id uuid, p_reporter_id uuid,
  p_words text, p_window interval default interval '14 days')
returns table (outcome text, ticket_id uuid, tracking_number text, status text)
language plpgsql
set search_path = ''
as $$
declare
  v public.tickets;
  v_reason text := left('Reopened by the reporter over WhatsApp: "'
                        || btrim(coalesce(p_words, '')) || '"', 500);
begin
  select t.* into v from public.tickets t
   where t.tenant_id = p_tenant_id and t.reporter_id = p_reporter_id and not t.is_sensitive
     and t.duplicate_of is null
   order by t.updated_at desc, t.created_at desc
   limit 1
   for update;
  if not found then
    return;
  end if;
  if v.status in ('open', 'in_progress', 'escalated') then
    return query select 'open'::text, v.id, v.tracking_number, v.status;
    return;
  end if;
  if v.status = 'resolved' and v.resolved_at >= now() - p_window then
    perform set_config('salga.change_reason', v_reason, true);
    update public.tickets set status = 'in_progress' where id = v.id;
    perform set_config('salga.change_reason', '', true);
    -- The ticket_changed events of 0008 carry the new status; this one tells
    -- the team why, on the topics that already hear of the ticket.
    perform realtime.send(
      jsonb_build_object('id', v.id, 'tracking_number', v.tracking_number,
                         'status', 'in_progress', 'reason', v_reason),
      'ticket_reopened', 'municipality:' || v.tenant_id::text, true);
    if v.assigned_team_id is not null then
      perform realtime.send(
        jsonb_build_object('id', v.id, 'tracking_number', v.tracking_number,
                           'status', 'in_progress', 'reason', v_reason),
        'ticket_reopened', 'team:' || v.assigned_team_id::text, true);
    end if;
    return query select 'reopened'::text, v.id, v.tracking_number, 'in_progress'::text;
    return;
  end if;
  return query select 'follow_up'::text, v.id, v.tracking_number, v.status;
end
$$;

create or replace function private.ticket_audit_entries(p_ticket_id uuid)
returns table (at timestamptz, action text, actor_id uuid, details jsonb)
language sql stable security definer
set search_path = ''
as $$
  select e.at, e.action, e.actor_id, e.details
    from (
      select a.at, 'status_changed' as action, a.actor_id,
             jsonb_build_object(
               'from', a.old_values ->> 'status', 'to', a.new_values ->> 'status',
               'reason', coalesce(a.reason, case when a.new_values ->> 'status' = 'escalated'
                                                 then a.new_values ->> 'escalation_reason' end),
               'actor_name', p.full_name, 'actor_role', a.actor_role) as details,
             a.id as seq
        from public.audit_log a
        left join public.profiles p on p.id = a.actor_id
       where a.table_name = 'tickets' and a.record_id = p_ticket_id::text
         and a.operation = 'UPDATE' and a.new_values ? 'status'
      union all
      select r.read_at, 'decrypted_read', r.actor_id,
             jsonb_build_object('role', r.actor_role, 'client_ip', r.client_ip,
                                'actor_name', p.full_name, 'actor_role', r.actor_role),
             r.id
        from private.sensitive_reads r
        left join public.profiles p on p.id = r.actor_id
       where r.ticket_id = p_ticket_id
    ) e
   where private.can_see_ticket(p_ticket_id)
   order by e.at, e.seq
$$;


drop function if exists private.open_reason(text);
drop function if exists private.seal_for_person(uuid, text);
