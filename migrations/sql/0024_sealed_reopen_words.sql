-- =====================================================================
-- 0024 A reporter's own words in the audit are sealed
-- "It is not fixed" over WhatsApp reopens a report with the person's words
-- as the reason (0017). The reason went into the append-only audit in
-- clear, where erasing the person could never reach it. Now the words are
-- sealed under the person's key like every other personal field of the
-- audit (0011): the ticket's history opens them for the staff who see the
-- ticket while the person exists, and says they were erased after.
-- The live event to the team no longer carries them either.
-- =====================================================================

-- ---------------------------------------------------------------------
-- A change reason as the history shows it: a sealed part ("pii:…") opened
-- while its key exists, "[erased]" once the person is gone.
-- ---------------------------------------------------------------------
create function private.open_reason(p_reason text) returns text
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(p_reason, '^(.*?)(pii:[0-9]+:[A-Za-z0-9+/=\s]+)$');
begin
  if v_parts is null then
    return p_reason;
  end if;
  return v_parts[1] || coalesce('"' || (private.reveal_personal(v_parts[2]) #>> '{}') || '"',
                                '[erased]');
end
$$;
revoke all on function private.open_reason(text) from public, anon, authenticated;

-- A person's words sealed under their key ("pii:…"), for a reason the audit keeps.
create function private.seal_for_person(p_user uuid, p_text text) returns text
language sql volatile security definer
set search_path = ''
as $$
  select private.seal_personal(to_jsonb(p_text), private.personal_key(p_user, null)) #>> '{}'
$$;
revoke all on function private.seal_for_person(uuid, text) from public, anon, authenticated;
grant execute on function private.seal_for_person(uuid, text) to service_role;

create or replace function private.reopen_for_reporter(p_tenant_id uuid, p_reporter_id uuid,
  p_words text, p_window interval default interval '14 days')
returns table (outcome text, ticket_id uuid, tracking_number text, status text)
language plpgsql
set search_path = ''
as $$
declare
  v public.tickets;
  v_reason text := 'Reopened by the reporter over WhatsApp: they say it is not fixed';
  v_words text;
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
    -- Their words go into the append-only audit sealed under their key: the team
    -- reads them in the ticket's history while the person exists, nobody after.
    v_words := private.seal_for_person(p_reporter_id, left(btrim(coalesce(p_words, '')), 400));
    perform set_config('salga.change_reason', v_reason || ': ' || v_words, true);
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
               'reason', coalesce(private.open_reason(a.reason),
                                  case when a.new_values ->> 'status' = 'escalated'
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

