-- Local Supabase platform: schemas, extensions and default privileges.
-- NEVER applied to a real Supabase project.

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;

-- Supabase puts extensions in the `extensions` schema and searches it.
do $$
begin
  execute format('alter database %I set search_path = "$user", public, extensions',
                 current_database());
end
$$;
set search_path = "$user", public, extensions;

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
