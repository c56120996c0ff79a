-- Local Supabase platform: what supautils lets `postgres` do on Supabase.
-- NEVER applied to a real Supabase project.
--
-- On Supabase, `postgres` is not a superuser; the supautils extension lets it
-- do a few allow-listed things: create the listed extensions, and create,
-- alter or drop policies on the listed platform tables (storage.objects,
-- storage.buckets, realtime.messages). Everything else a non-superuser cannot
-- do fails, as it does there.
--
-- We cannot load supautils locally. Its two grants are emulated, per database:
-- * Extensions: the allow-listed ones that are not "trusted" (postgis,
--   pg_cron) are created here, ahead, by the superuser, so a migration's
--   `create extension if not exists` finds them; trusted ones (pgcrypto,
--   pg_trgm, ...) postgres may create itself as the database's owner.
-- * Policies: when postgres starts CREATE/ALTER/DROP POLICY and every table the
--   statement's text names is allow-listed (or its own), an event trigger makes
--   postgres the owner of the allow-listed tables for that one statement; the
--   end-of-command trigger gives them back (a failed statement rolls the change
--   back with its transaction). pg_class is per database, so nothing leaks to
--   other databases of the cluster.

create table if not exists extensions.local_supautils_allowed (
  kind text not null check (kind in ('extension', 'policy_table')),
  name text not null,
  primary key (kind, name)
);
revoke all on extensions.local_supautils_allowed from public, anon, authenticated, service_role;

insert into extensions.local_supautils_allowed (kind, name) values
  ('policy_table', 'storage.objects'), ('policy_table', 'storage.buckets'),
  ('policy_table', 'realtime.messages')
on conflict do nothing;
delete from extensions.local_supautils_allowed where kind = 'extension';

-- Untrusted allow-listed extensions, created ahead (pg_cron only where the
-- cluster runs it). Supabase lets postgres use pg_cron's schema and tables.
create extension if not exists postgis with schema extensions;
do $$
begin
  if current_database() = coalesce(current_setting('cron.database_name', true), '')
     and exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
    grant usage on schema cron to postgres with grant option;
    grant all on all tables in schema cron to postgres with grant option;
    grant all on all sequences in schema cron to postgres with grant option;
    grant all on all functions in schema cron to postgres with grant option;
  end if;
end
$$;

drop event trigger if exists local_supautils_elevate;
drop event trigger if exists local_supautils_restore;
drop function if exists extensions.local_supautils_elevate();
drop function if exists extensions.local_supautils_restore();

-- The tables of every policy a statement's text names.
create or replace function extensions.local_supautils_targets(query text)
returns table (name text)
language sql immutable
set search_path = ''
as $$
  select lower(replace(m[1], '"', ''))
    from regexp_matches(query,
           '(?:create|alter|drop)\s+policy\s+(?:if\s+exists\s+)?(?:"(?:[^"]|"")*"|\w+)\s+on\s+([\w."]+)',
           'gi') as m
$$;

create or replace function extensions.local_supautils_policy_start() returns event_trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  query text := coalesce(current_query(), '');
  handed text := '';
  t record;
begin
  if session_user <> 'postgres' then
    return;
  end if;
  -- Every named table must be allow-listed, or one postgres owns (or is about
  -- to create in the same script: it does not exist yet).
  if exists (
    select 1 from extensions.local_supautils_targets(query) g
     where not exists (select 1 from extensions.local_supautils_allowed a
                        where a.kind = 'policy_table' and a.name = g.name)
       and exists (select 1 from pg_class c
                    where c.oid = to_regclass(case when g.name like '%.%' then g.name
                                                   else 'public.' || g.name end)
                      and c.relowner <> 'postgres'::regrole)
  ) then
    return;
  end if;
  for t in
    select distinct c.oid, c.relowner
      from extensions.local_supautils_targets(query) g
      join extensions.local_supautils_allowed a on a.kind = 'policy_table' and a.name = g.name
      join pg_class c on c.oid = to_regclass(g.name)
     where c.relowner <> 'postgres'::regrole
  loop
    update pg_catalog.pg_class set relowner = 'postgres'::regrole where oid = t.oid;
    handed := handed || t.oid || ':' || t.relowner || ',';
  end loop;
  perform set_config('local_supautils.handed', handed, true);
end
$$;

create or replace function extensions.local_supautils_policy_end() returns event_trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  item text;
begin
  foreach item in array string_to_array(
      coalesce(current_setting('local_supautils.handed', true), ''), ',')
  loop
    continue when item = '';
    update pg_catalog.pg_class set relowner = split_part(item, ':', 2)::oid
     where oid = split_part(item, ':', 1)::oid;
  end loop;
  perform set_config('local_supautils.handed', '', true);
end
$$;

revoke all on function extensions.local_supautils_policy_start(),
  extensions.local_supautils_policy_end() from public;

drop event trigger if exists local_supautils_policy_start;
create event trigger local_supautils_policy_start on ddl_command_start
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function extensions.local_supautils_policy_start();
drop event trigger if exists local_supautils_policy_end;
create event trigger local_supautils_policy_end on ddl_command_end
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function extensions.local_supautils_policy_end();
