-- Local Supabase platform: roles. NEVER applied to a real Supabase project.
-- Mirrors a Supabase project since 2025: the cluster's superuser is
-- `supabase_admin`; `postgres` (who runs our migrations) is NOT a superuser
-- and NOT a member of the service admins; the API roles INHERIT.
-- Runs as supabase_admin. Existing roles are brought to these attributes, so a
-- cluster created by an older, more permissive platform is tightened too.

do $$
declare
  r record;
begin
  for r in select * from (values
      ('anon',                    'nologin inherit nobypassrls'),
      ('authenticated',           'nologin inherit nobypassrls'),
      ('service_role',            'nologin inherit bypassrls'),
      ('authenticator',           'login noinherit nobypassrls'),
      ('supabase_auth_admin',     'login noinherit createrole nobypassrls'),
      ('supabase_storage_admin',  'login noinherit createrole nobypassrls'),
      ('supabase_realtime_admin', 'nologin noinherit nobypassrls'),
      ('postgres',                'login inherit nosuperuser createrole createdb replication bypassrls')
    ) as t(name, attrs)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      execute format('create role %I %s', r.name, r.attrs);
    else
      execute format('alter role %I %s', r.name, r.attrs);
    end if;
  end loop;
end
$$;

-- The servers log in as authenticator and switch to the caller's role.
grant anon, authenticated, service_role to authenticator;
-- As on Supabase, postgres may act as the API roles (SQL editor, tests)...
grant anon, authenticated, service_role to postgres;
-- ...may end other sessions of non-superusers (drop database ... with (force))...
grant pg_signal_backend, pg_monitor to postgres;
-- ...but is no longer a member of the service admins (Supabase, 2025).
revoke supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin from postgres;
-- Storage runs each request as the caller's role.
grant authenticated, anon, service_role to supabase_storage_admin;
-- As on Supabase, postgres may switch triggers off for a bulk load or a seed.
grant set on parameter session_replication_role to postgres;
