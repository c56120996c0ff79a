-- Local Supabase platform: what supautils lets `postgres` do on Supabase.
-- NEVER applied to a real Supabase project.
--
-- On Supabase, `postgres` is not a superuser; the supautils extension runs a
-- few allow-listed statements with elevated rights: creating the listed
-- extensions, and creating, altering or dropping policies on the listed
-- platform tables (storage.objects, storage.buckets, realtime.messages).
-- Everything else a non-superuser cannot do fails, as it does there.
--
-- We cannot load supautils locally, so an event trigger emulates exactly those
-- grants: when postgres starts one of these statements and every target named
-- in the statement's text is allowed, postgres holds superuser for that one
-- statement; the end-of-command trigger takes it back (and a failed statement
-- rolls the change back with its transaction).

create table if not exists extensions.local_supautils_allowed (
  kind text not null check (kind in ('extension', 'policy_table')),
  name text not null,
  primary key (kind, name)
);
revoke all on extensions.local_supautils_allowed from public, anon, authenticated, service_role;

insert into extensions.local_supautils_allowed (kind, name) values
  ('extension', 'postgis'), ('extension', 'postgis_topology'), ('extension', 'pg_cron'),
  ('extension', 'pg_net'), ('extension', 'pgcrypto'), ('extension', 'uuid-ossp'),
  ('extension', 'pg_trgm'), ('extension', 'btree_gist'), ('extension', 'citext'),
  ('extension', 'pg_stat_statements'), ('extension', 'unaccent'), ('extension', 'hstore'),
  ('policy_table', 'storage.objects'), ('policy_table', 'storage.buckets'),
  ('policy_table', 'realtime.messages')
on conflict do nothing;

-- Every target a statement names: extension names, or the tables of policies.
create or replace function extensions.local_supautils_targets(query text, tag text)
returns table (kind text, name text)
language sql immutable
set search_path = ''
as $$
  select 'extension', lower(replace(m[1], '"', ''))
    from regexp_matches(query, 'create\s+extension\s+(?:if\s+not\s+exists\s+)?("[^"]+"|[\w-]+)',
                        'gi') as m
   where tag = 'CREATE EXTENSION'
  union all
  select 'policy_table', lower(replace(m[1], '"', ''))
    from regexp_matches(query,
           '(?:create|alter|drop)\s+policy\s+(?:if\s+exists\s+)?(?:"(?:[^"]|"")*"|\w+)\s+on\s+([\w."]+)',
           'gi') as m
   where tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
$$;

create or replace function extensions.local_supautils_elevate() returns event_trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  query text := coalesce(current_query(), '');
begin
  if session_user <> 'postgres' then
    return;
  end if;
  if not exists (select 1 from extensions.local_supautils_targets(query, tg_tag)) then
    return;
  end if;
  -- Every named target must be allowed (or, for policies, a table postgres
  -- owns or is about to create in the same script).
  if exists (
    select 1 from extensions.local_supautils_targets(query, tg_tag) t
     where not exists (select 1 from extensions.local_supautils_allowed a
                        where a.kind = t.kind and a.name = t.name)
       and not (t.kind = 'policy_table' and not exists (
             select 1 from pg_class c
              where c.oid = to_regclass(case when t.name like '%.%' then t.name
                                             else 'public.' || t.name end)
                and c.relowner <> 'postgres'::regrole))
  ) then
    return;
  end if;
  perform set_config('local_supautils.elevated', 'on', true);
  alter role postgres superuser;
end
$$;

create or replace function extensions.local_supautils_restore() returns event_trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if current_setting('local_supautils.elevated', true) = 'on' then
    perform set_config('local_supautils.elevated', '', true);
    alter role postgres nosuperuser;
  end if;
end
$$;

revoke all on function extensions.local_supautils_elevate(), extensions.local_supautils_restore()
  from public;

drop event trigger if exists local_supautils_elevate;
create event trigger local_supautils_elevate on ddl_command_start
  when tag in ('CREATE EXTENSION', 'CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function extensions.local_supautils_elevate();
drop event trigger if exists local_supautils_restore;
create event trigger local_supautils_restore on ddl_command_end
  when tag in ('CREATE EXTENSION', 'CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function extensions.local_supautils_restore();
