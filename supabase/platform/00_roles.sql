-- Local Supabase platform: roles. NEVER applied to a real Supabase project.
-- Mirrors supabase/postgres: API roles without login, the authenticator that
-- PostgREST/Storage/Realtime log in as, and the service admins.

do $$
declare
  r record;
begin
  for r in select * from (values
      ('anon',                    'nologin noinherit'),
      ('authenticated',           'nologin noinherit'),
      ('service_role',            'nologin noinherit bypassrls'),
      ('authenticator',           'login noinherit'),
      ('supabase_auth_admin',     'login noinherit createrole'),
      ('supabase_storage_admin',  'login noinherit createrole'),
      ('supabase_realtime_admin', 'nologin noinherit'),
      ('supabase_admin',          'login superuser createdb createrole replication bypassrls')
    ) as t(name, attrs)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      execute format('create role %I %s', r.name, r.attrs);
    end if;
  end loop;
end
$$;

grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;
grant supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin to postgres;
grant authenticated, anon to supabase_storage_admin;
