-- Undo 0023: the audit's key lookups as in 0022, the duplicate lookup back in SQL,
-- the library generation gone.
create or replace function private.personal_key(p_user uuid, p_phone text) returns private.personal_keys
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row private.personal_keys;
  v_digest text := case when p_user is null and p_phone is not null
                        then private.phone_digest(p_phone) end;
begin
  if p_user is null and v_digest is null then
    return null;
  end if;
  if p_user is not null then
    insert into private.personal_keys (user_id) values (p_user) on conflict (user_id) do nothing;
    select * into v_row from private.personal_keys k where k.user_id = p_user;
  else
    insert into private.personal_keys (phone_digest) values (v_digest)
      on conflict (phone_digest) do nothing;
    select * into v_row from private.personal_keys k where k.phone_digest = v_digest;
  end if;
  return v_row;
end
$$;

create or replace function private.audit_personal_fields(p_table text, p_values jsonb, p_row jsonb)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_fields text[];
  v_user uuid;
  v_phone text;
  v_key private.personal_keys;
  v_field text;
  v_result jsonb := p_values;
begin
  if p_values is null then
    return null;
  end if;
  case p_table
    when 'profiles' then
      v_fields := array['full_name', 'phone', 'verified_address'];
      v_user := (p_row ->> 'id')::uuid;
    when 'tickets' then
      v_fields := array['description', 'address', 'location'];
      v_user := (p_row ->> 'reporter_id')::uuid;
    when 'consent_records' then
      v_fields := array['ip_address', 'user_agent'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'media_attachments' then
      v_fields := array['filename'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'data_subject_requests' then
      v_fields := array['details', 'outcome_reason'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'notification_outbox' then
      v_fields := array['recipient', 'variables'];
      v_phone := p_row ->> 'recipient';
    when 'whatsapp_conversations' then
      v_fields := array['phone', 'address'];
      v_user := (p_row ->> 'user_id')::uuid;
      v_phone := p_row ->> 'phone';
    when 'open311_submissions' then
      -- What an Open311 client sent about its reporter: sealed under the key of
      -- the phone number it gave (or unreadable at once when it gave none).
      v_fields := array['contact', 'media_url'];
      v_phone := private.e164(p_row -> 'contact' ->> 'phone');
    when 'whatsapp_inbound_messages' then
      v_fields := array['reply'];
      select c.user_id, c.phone into v_user, v_phone from public.whatsapp_conversations c
       where c.id = (p_row ->> 'conversation_id')::uuid;
    when 'dsd_referrals' then
      v_fields := array['child_name', 'child_age', 'child_gender', 'incident_place',
                        'incident_when', 'offender_relationship', 'action_taken'];
      select t.reporter_id into v_user from public.tickets t
       where t.id = (p_row ->> 'ticket_id')::uuid;
    else
      return p_values;
  end case;
  if not (p_values ?| v_fields) then
    return p_values;
  end if;
  v_key := private.personal_key(v_user, v_phone);
  foreach v_field in array v_fields loop
    -- (placeholders written by the trigger — changed, redacted, encrypted — stay as they are)
    if v_result ? v_field
       and v_result -> v_field not in ('"changed"', '"[redacted]"', '"[encrypted]"') then
      v_result := jsonb_set(v_result, array[v_field],
                            private.seal_personal(v_result -> v_field, v_key));
    end if;
  end loop;
  return v_result;
end
$$;

create or replace function private.possible_duplicates(p_tenant_id uuid, p_category text,
  p_latitude double precision, p_longitude double precision, p_exclude uuid default null,
  p_limit integer default 5, p_now timestamptz default now())
returns table (id uuid, tracking_number text, status text, category text,
               created_at timestamptz, distance_m double precision)
language sql stable security definer
set search_path = ''
as $$
  with rule as (
    select coalesce(r.radius_m, 50) as radius_m, coalesce(r.max_age_days, 30) as max_age_days
      from (select 1) one
      left join public.duplicate_rules r
        on r.tenant_id = p_tenant_id and r.category = p_category
  ), here as (
    select extensions.st_setsrid(extensions.st_makepoint(p_longitude, p_latitude), 4326)
             ::extensions.geography as point
  )
  select t.id, t.tracking_number, t.status, t.category, t.created_at,
         extensions.st_distance(t.location, here.point) as distance_m
    from public.tickets t, rule, here
   where p_category <> 'gbv' and p_latitude is not null and p_longitude is not null
     and (p_tenant_id = (select private.tenant_id()) or (select auth.role()) = 'service_role')
     and not t.is_sensitive and t.duplicate_of is null
     and t.status in ('open', 'in_progress', 'escalated')
     and extensions.st_dwithin(t.location, here.point, rule.radius_m)
     and t.tenant_id = p_tenant_id and t.category = p_category
     and t.created_at > p_now - make_interval(days => rule.max_age_days)
     and t.id is distinct from p_exclude
   order by distance_m, t.created_at desc
   limit least(greatest(p_limit, 1), 20)
$$;

drop function if exists private.library_generation(uuid);
drop trigger if exists stamp_library_generation_on_insert on public.message_templates;
drop trigger if exists stamp_library_generation_on_update on public.message_templates;
drop trigger if exists stamp_library_generation_on_delete on public.message_templates;
drop function if exists private.stamp_library_generation();
drop table if exists private.library_generations;
