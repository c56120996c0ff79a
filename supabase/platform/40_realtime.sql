-- Local Supabase platform: the realtime schema ("broadcast from database").
-- NEVER applied to a real Supabase project.

create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role, postgres;
grant usage, create on schema realtime to supabase_realtime_admin;

-- As on Supabase: partitioned by day with NO default partition. The
-- Realtime server creates each day's partition ahead (here our gateway calls
-- realtime.ensure_partitions); a send on a day without one is dropped with a
-- WARNING, as there.
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
) partition by range (inserted_at);
-- An older local platform had a default partition: its rows are transient.
drop table if exists realtime.messages_default;
create index if not exists messages_inserted_at_topic_index
  on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;

alter table realtime.messages owner to supabase_realtime_admin;
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role, postgres;

create or replace function realtime.ensure_partitions(days_ahead integer default 3)
returns void language plpgsql security definer
set search_path = ''
as $$
declare
  d date;
begin
  for d in select generate_series(current_date - 1, current_date + days_ahead, interval '1 day')::date
  loop
    if to_regclass(format('realtime.messages_%s', to_char(d, 'YYYY_MM_DD'))) is null then
      execute format(
        'create table realtime.%I partition of realtime.messages for values from (%L) to (%L)',
        'messages_' || to_char(d, 'YYYY_MM_DD'), d, d + 1);
    end if;
  end loop;
end
$$;
alter function realtime.ensure_partitions(integer) owner to supabase_realtime_admin;
-- Local only: the gateway (connected as postgres) creates partitions ahead.
revoke all on function realtime.ensure_partitions(integer) from public;
grant execute on function realtime.ensure_partitions(integer) to postgres;
-- The Realtime server has run before any migration on Supabase: so here.
select realtime.ensure_partitions(3);

create or replace function realtime.topic() returns text
language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

-- As in Supabase: adds the message id to the payload (unless it has one),
-- sets realtime.topic for the insert and swallows its own errors, so a
-- broadcast can never abort the caller's transaction.
create or replace function realtime.send(
  payload jsonb, event text, topic text, private boolean default true
) returns void language plpgsql as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$$;

create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text,
  table_schema text, new record, old record, level text default 'ROW'
) returns void language plpgsql as $$
declare
  row_data jsonb := '{}'::jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation in ('INSERT', 'UPDATE', 'DELETE') then
    row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                                   'table', table_name, 'schema', table_schema);
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
end
$$;

alter function realtime.topic() owner to supabase_realtime_admin;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
alter function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  owner to supabase_realtime_admin;
grant execute on function realtime.topic(), realtime.send(jsonb, text, text, boolean),
  realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to anon, authenticated, service_role, postgres;
