-- =====================================================================
-- 0001 Foundation
-- Extensions, the private helper schema, municipalities (the tenants),
-- profiles (1:1 with auth.users) and the custom access token hook that puts
-- tenant_id and role into every token's app_metadata.
-- Runs unchanged on a Supabase project and on the local platform.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Extensions (Supabase keeps them in the `extensions` schema)
-- ---------------------------------------------------------------------
create extension if not exists postgis with schema extensions;

-- ---------------------------------------------------------------------
-- Private schema: helpers used by policies and triggers. Not exposed by
-- the Data API; every function pins search_path to '' and names its schemas.
-- ---------------------------------------------------------------------
create schema if not exists private;
revoke all on schema private from public, anon;
grant usage on schema private to authenticated, service_role, supabase_auth_admin;

-- The caller's municipality and role, from app_metadata (which users cannot
-- edit; our token hook fills it). NULL for tokens without them.
create function private.tenant_id() returns uuid
language sql stable
set search_path = ''
as $$
  select nullif((select auth.jwt()) -> 'app_metadata' ->> 'tenant_id', '')::uuid
$$;

create function private.app_role() returns text
language sql stable
set search_path = ''
as $$
  select nullif((select auth.jwt()) -> 'app_metadata' ->> 'role', '')
$$;

-- Who is acting: the user's id, or NULL for the service role and migrations.
create function private.actor_id() returns uuid
language sql stable
set search_path = ''
as $$
  select auth.uid()
$$;

-- Keeps timestamps and authorship honest on every table: callers cannot
-- forge created_* or set updated_* themselves.
create function private.stamp_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.created_at := now();
    new.created_by := coalesce(private.actor_id(), new.created_by);
  else
    new.created_at := old.created_at;
    new.created_by := old.created_by;
  end if;
  new.updated_at := now();
  new.updated_by := coalesce(private.actor_id(), case when tg_op = 'INSERT' then new.created_by end);
  return new;
end
$$;

revoke all on all functions in schema private from public, anon;
grant execute on all functions in schema private to authenticated, service_role;

-- ---------------------------------------------------------------------
-- Municipalities: the tenants
-- ---------------------------------------------------------------------
create table public.municipalities (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[A-Z]{2,8}$'),
  name text not null check (length(btrim(name)) between 2 and 200),
  province text not null check (province in ('EC', 'FS', 'GP', 'KZN', 'LP', 'MP', 'NC', 'NW', 'WC')),
  is_active boolean not null default true,
  contact_email text check (contact_email is null or contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  contact_phone text check (contact_phone is null or contact_phone ~ '^\+[1-9][0-9]{6,14}$'),
  -- The WhatsApp sender number citizens message; picks the municipality.
  whatsapp_number text unique check (whatsapp_number is null or whatsapp_number ~ '^\+[1-9][0-9]{6,14}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.municipalities is 'The tenants: one row per municipality.';

create trigger stamp_row before insert or update on public.municipalities
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Profiles: one per auth user; the municipality is the tenant
-- ---------------------------------------------------------------------
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  tenant_id uuid not null references public.municipalities (id),
  role text not null default 'citizen'
    check (role in ('citizen', 'field_worker', 'manager', 'admin', 'saps_liaison')),
  full_name text check (full_name is null or length(full_name) <= 200),
  phone text check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$'),
  preferred_language text not null default 'en' check (preferred_language in ('en', 'zu', 'af')),
  is_active boolean not null default true,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.profiles is
  'Who a user is in the platform: municipality, role, language. Soft-deleted via deleted_at.';
create index profiles_tenant_id_idx on public.profiles (tenant_id);
create index profiles_phone_idx on public.profiles (phone) where phone is not null;

create trigger stamp_row before insert or update on public.profiles
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Privileges: revoke Supabase's default grants, give back what each role needs
-- ---------------------------------------------------------------------
revoke all on public.municipalities, public.profiles from anon, authenticated;
grant select on public.municipalities to authenticated;
grant select on public.profiles to authenticated;
-- Users may change only these columns of their own profile (policy below).
grant update (full_name, preferred_language) on public.profiles to authenticated;
grant all on public.municipalities, public.profiles to service_role;

alter table public.municipalities enable row level security;
alter table public.municipalities force row level security;
alter table public.profiles enable row level security;
alter table public.profiles force row level security;

create policy "Users read their own municipality"
  on public.municipalities for select to authenticated
  using (id = (select private.tenant_id()));

create policy "Users read their own profile"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()));

create policy "Users update their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()) and deleted_at is null)
  with check (id = (select auth.uid()));

-- ---------------------------------------------------------------------
-- Custom access token hook (Supabase Auth calls it as supabase_auth_admin
-- while issuing every token). Authorization claims go into app_metadata,
-- which users cannot edit; whatever app_metadata said before is replaced.
-- ---------------------------------------------------------------------
create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  app_metadata jsonb := coalesce(event -> 'claims' -> 'app_metadata', '{}'::jsonb)
                        - 'tenant_id' - 'role';
  profile record;
begin
  select p.tenant_id, p.role, p.is_active, p.deleted_at, m.is_active as municipality_active
    into profile
    from public.profiles p
    join public.municipalities m on m.id = p.tenant_id
   where p.id = (event ->> 'user_id')::uuid;

  if found and (not profile.is_active or profile.deleted_at is not null
                or not profile.municipality_active) then
    return jsonb_build_object('error', jsonb_build_object(
      'http_code', 403, 'message', 'This account is not active.'));
  end if;

  if found then
    app_metadata := app_metadata || jsonb_build_object(
      'tenant_id', profile.tenant_id::text, 'role', profile.role);
  end if;
  return jsonb_set(event, '{claims}', jsonb_set(claims, '{app_metadata}', app_metadata));
end
$$;

grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;
grant select on public.profiles, public.municipalities to supabase_auth_admin;

create policy "The auth server reads profiles to issue tokens"
  on public.profiles for select to supabase_auth_admin using (true);
create policy "The auth server reads municipalities to issue tokens"
  on public.municipalities for select to supabase_auth_admin using (true);
