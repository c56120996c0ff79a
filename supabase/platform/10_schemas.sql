-- Local Supabase platform: schemas, extensions and default privileges.
-- NEVER applied to a real Supabase project.

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant create on schema extensions to postgres;

-- Supabase puts extensions in the `extensions` schema and searches it.
do $$
begin
  execute format('alter database %I set search_path = "$user", public, extensions',
                 current_database());
end
$$;
set search_path = "$user", public, extensions;

-- On Supabase, postgres owns the project's database (and so its public
-- schema); the local cluster's own `postgres` database is created by the
-- bootstrap superuser, so hand it over.
do $$
begin
  if (select datdba from pg_database where datname = current_database())
     <> 'postgres'::regrole then
    execute format('alter database %I owner to postgres', current_database());
  end if;
end
$$;

-- Supabase's public schema: the API roles may use it, and every new object
-- postgres creates there is granted to them by default (our migrations revoke
-- and re-grant what each role needs, then enable RLS).
grant usage on schema public to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;
