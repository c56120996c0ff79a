-- =====================================================================
-- 0023 The webhook's fast path
-- Every WhatsApp message asked whether the message library had changed by
-- hashing the ids of every approved text (hundreds of them), and a draft's
-- duplicate lookup planned its query afresh on every call. Now a change to
-- the library stamps a new generation that one row read answers, and the
-- duplicate lookup keeps its plan for the connection's life.
-- =====================================================================

-- ---------------------------------------------------------------------
-- The library's generation, per municipality and for the platform's own
-- texts (scope = the all-zero id). A random token rather than a counter:
-- a token from one database never names another database's library, so
-- a process that serves several databases cannot mix their texts up.
-- ---------------------------------------------------------------------
create table private.library_generations (
  scope uuid primary key,
  generation uuid not null default gen_random_uuid()
);
comment on table private.library_generations is
  'A new token whenever a message library text is written: readers that keep the library '
  'compare tokens instead of re-reading it. scope: the municipality, or the all-zero id '
  'for the platform''s texts.';
revoke all on private.library_generations from public, anon, authenticated, service_role;

insert into private.library_generations (scope)
values ('00000000-0000-0000-0000-000000000000'::uuid)
union
select distinct tenant_id from public.message_templates where tenant_id is not null;

create function private.stamp_library_generation() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  -- Once per statement, for every scope it wrote: a seeded library of hundreds of
  -- texts takes one new token, not hundreds.
  insert into private.library_generations (scope)
  select distinct coalesce(w.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)
    from written w
  on conflict (scope) do update set generation = gen_random_uuid();
  return null;
end
$$;
revoke all on function private.stamp_library_generation() from public, anon, authenticated;

create trigger stamp_library_generation_on_insert after insert on public.message_templates
  referencing new table as written
  for each statement execute function private.stamp_library_generation();
create trigger stamp_library_generation_on_update after update on public.message_templates
  referencing new table as written
  for each statement execute function private.stamp_library_generation();
create trigger stamp_library_generation_on_delete after delete on public.message_templates
  referencing old table as written
  for each statement execute function private.stamp_library_generation();

-- What identifies the texts a municipality's citizens receive (its own and the
-- platform's). Only the service role asks: the webhook and the workers keep a
-- library; nobody signed in learns when another municipality's texts change.
create function private.library_generation(p_tenant_id uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce((select g.generation::text from private.library_generations g
                    where g.scope = '00000000-0000-0000-0000-000000000000'), '')
         || '.' ||
         coalesce((select g.generation::text from private.library_generations g
                    where g.scope = p_tenant_id), '')
$$;
revoke all on function private.library_generation(uuid) from public, anon, authenticated;
grant execute on function private.library_generation(uuid) to service_role;

-- ---------------------------------------------------------------------
-- The audit seals personal fields (0011, 0022) without writing for nothing:
-- a person's key is looked up only when a field has something to seal (a
-- webhook reply is always redacted, a conversation update rarely touches
-- the phone or address), and read before it is created.
-- ---------------------------------------------------------------------
create or replace function private.personal_key(p_user uuid, p_phone text)
returns private.personal_keys
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
    select * into v_row from private.personal_keys k where k.user_id = p_user;
    if v_row.id is null then
      insert into private.personal_keys (user_id) values (p_user)
        on conflict (user_id) do nothing;
      select * into v_row from private.personal_keys k where k.user_id = p_user;
    end if;
  else
    select * into v_row from private.personal_keys k where k.phone_digest = v_digest;
    if v_row.id is null then
      insert into private.personal_keys (phone_digest) values (v_digest)
        on conflict (phone_digest) do nothing;
      select * into v_row from private.personal_keys k where k.phone_digest = v_digest;
    end if;
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
      v_fields := array['reply'];  -- whose: looked up below, only when there is a reply
    when 'dsd_referrals' then
      v_fields := array['child_name', 'child_age', 'child_gender', 'incident_place',
                        'incident_when', 'offender_relationship', 'action_taken'];
      -- whose: looked up below, only when there is something to seal
    else
      return p_values;
  end case;
  -- Only a field holding something needs the person's key: nulls and the
  -- placeholders the trigger wrote (changed, redacted, encrypted) stay as they are.
  if not exists (select 1 from unnest(v_fields) f
                  where p_values ? f
                    and jsonb_typeof(p_values -> f) <> 'null'
                    and p_values -> f not in ('"changed"', '"[redacted]"', '"[encrypted]"'))
  then
    return p_values;
  end if;
  if p_table = 'whatsapp_inbound_messages' then
    select c.user_id, c.phone into v_user, v_phone from public.whatsapp_conversations c
     where c.id = (p_row ->> 'conversation_id')::uuid;
  elsif p_table = 'dsd_referrals' then
    select t.reporter_id into v_user from public.tickets t
     where t.id = (p_row ->> 'ticket_id')::uuid;
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

-- ---------------------------------------------------------------------
-- Duplicate lookups keep their plan: the same rules as 0012, in plpgsql,
-- whose statements are planned once per connection (a SQL function with
-- its own search_path is planned again on every call).
-- ---------------------------------------------------------------------
create or replace function private.possible_duplicates(p_tenant_id uuid, p_category text,
  p_latitude double precision, p_longitude double precision, p_exclude uuid default null,
  p_limit integer default 5, p_now timestamptz default now())
returns table (id uuid, tracking_number text, status text, category text,
               created_at timestamptz, distance_m double precision)
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return query
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
   limit least(greatest(p_limit, 1), 20);
end
$$;
