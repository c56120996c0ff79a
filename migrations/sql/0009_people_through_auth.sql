-- =====================================================================
-- 0009 People through Auth
-- People are created only by the Auth server (its admin API, sign-up, or
-- phone OTP); a trigger on auth.users gives each new person their profile.
-- Errors our trigger raises on storage.objects use SQLSTATEs the Storage
-- server turns into a 4xx (anything else becomes HTTP 500 there).
-- Uploads our API signs are owned by the person who asked for them.
-- Runs unchanged on a Supabase project and on the local platform.
-- =====================================================================

-- ---------------------------------------------------------------------
-- A profile for every new person. Staff come from the admin API with
-- app_metadata.salga_invite = {municipality: <code> or municipality_id: <id>,
-- role: <role>}; only service-key holders can set app_metadata. A citizen
-- signing up names their municipality as user_metadata.municipality (its
-- code): read once, here, and never used for authorization afterwards
-- (user_metadata is editable by the user; the profile row is what the token
-- hook reads). Anyone else gets no profile, and so a token with no
-- municipality and no role.
-- ---------------------------------------------------------------------
create function private.handle_new_user() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_invite jsonb := coalesce(new.raw_app_meta_data -> 'salga_invite', 'null'::jsonb);
  v_user jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  v_code text;
  v_role text := 'citizen';
  v_tenant uuid;
  v_language text := coalesce(nullif(v_user ->> 'language', ''), 'en');
  v_name text := nullif(btrim(coalesce(v_user ->> 'full_name', '')), '');
begin
  if jsonb_typeof(v_invite) = 'object' then
    v_code := v_invite ->> 'municipality';
    v_role := coalesce(nullif(v_invite ->> 'role', ''), 'citizen');
    select m.id into v_tenant
      from public.municipalities m
     where m.id = private.as_uuid(v_invite ->> 'municipality_id') and m.is_active;
  else
    v_code := v_user ->> 'municipality';
  end if;
  if v_tenant is null then
    select m.id into v_tenant
      from public.municipalities m
     where m.code = upper(btrim(coalesce(v_code, ''))) and m.is_active;
  end if;
  if v_tenant is null
     or v_role not in ('citizen', 'field_worker', 'manager', 'admin', 'saps_liaison') then
    return null;
  end if;
  if v_language not in ('en', 'zu', 'af') then
    v_language := 'en';
  end if;
  if v_name is not null and length(v_name) > 200 then
    v_name := left(v_name, 200);
  end if;
  insert into public.profiles (id, tenant_id, role, full_name, phone, preferred_language)
  values (new.id, v_tenant, v_role, v_name,
          case when new.phone ~ '^[1-9][0-9]{6,14}$' then '+' || new.phone
               when new.phone ~ '^\+[1-9][0-9]{6,14}$' then new.phone end,
          v_language)
  on conflict (id) do nothing;
  return null;
end
$$;
revoke all on function private.handle_new_user() from public, anon, authenticated, service_role;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

-- ---------------------------------------------------------------------
-- Upload checks: invalid_parameter_value (22023), which the Storage server
-- answers with 400 (our own SA422 would be a 500 "database error" there).
-- ---------------------------------------------------------------------
create or replace function private.record_media() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_parts text[] := storage.foldername(new.name);
  v_tenant uuid := private.as_uuid(v_parts[1]);
  v_folder uuid := private.as_uuid(v_parts[2]);
  v_ticket record;
  v_user uuid;
  v_source text;
begin
  if new.bucket_id not in ('evidence', 'documents', 'gbv-evidence') then
    return new;
  end if;
  if v_tenant is null or v_folder is null or coalesce(array_length(v_parts, 1), 0) <> 2 then
    raise exception 'Files go under {municipality}/{report or user}/{file}.'
      using errcode = '22023';
  end if;
  select t.id, t.is_sensitive into v_ticket
    from public.tickets t where t.id = v_folder and t.tenant_id = v_tenant;
  if v_ticket.id is null then
    select p.id into v_user from public.profiles p where p.id = v_folder and p.tenant_id = v_tenant;
    if v_user is null then
      raise exception 'The folder must be a report or a user of the municipality.'
        using errcode = '22023';
    end if;
  else
    select p.id into v_user from public.profiles p
     where p.id = private.as_uuid(new.owner_id) and p.tenant_id = v_tenant;
  end if;
  if new.bucket_id = 'gbv-evidence' and not coalesce(v_ticket.is_sensitive, false) then
    raise exception 'This bucket holds evidence of protected reports only.' using errcode = '22023';
  end if;
  if new.bucket_id <> 'gbv-evidence' and coalesce(v_ticket.is_sensitive, false) then
    raise exception 'Evidence of a protected report must go to its protected bucket.'
      using errcode = '22023';
  end if;
  if new.bucket_id = 'documents' and v_ticket.id is not null then
    raise exception 'Documents go in the user''s own folder.' using errcode = '22023';
  end if;
  -- Server-side uploads may say where a file came from (WhatsApp); a user's
  -- own upload, direct or through a signed URL, is 'web'.
  v_source := case
    when (auth.role() = 'service_role' or auth.uid() is null)
         and new.user_metadata ->> 'source' in ('whatsapp', 'web', 'api')
      then new.user_metadata ->> 'source'
    when new.owner_id is not null then 'web'
    else 'api' end;

  insert into public.media_attachments
    (tenant_id, ticket_id, user_id, bucket, path, filename, content_type, size_bytes, purpose,
     source, is_processed, scan_status, quarantine_reason, scanned_at)
  values
    (v_tenant, v_ticket.id, v_user, new.bucket_id, new.name, storage.filename(new.name),
     new.metadata ->> 'mimetype', (new.metadata ->> 'size')::bigint,
     case when new.bucket_id = 'documents' then 'proof_of_residence' else 'evidence' end,
     v_source, false, 'pending', null, null)
  on conflict (bucket, path) do update
    set content_type = excluded.content_type, size_bytes = excluded.size_bytes,
        is_processed = false, scan_status = 'pending', quarantine_reason = null,
        scanned_at = null;
  return new;
end
$$;

-- ---------------------------------------------------------------------
-- Signed uploads are owned by the person our API planned them for. The
-- Storage server records the signer as owner, and our API signs with the
-- service key (it decides, e.g., that a citizen may add evidence to their
-- own protected report), so objects would be owned by nobody: the API records
-- the plan as the caller, and the object takes its owner from the plan.
-- ---------------------------------------------------------------------
create table private.upload_plans (
  bucket text not null,
  path text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  tenant_id uuid not null references public.municipalities (id),
  created_at timestamptz not null default now(),
  primary key (bucket, path)
);
comment on table private.upload_plans is
  'Uploads our API signed, and for whom (until the object arrives).';
-- Reached only through the two functions below; no API role holds a privilege.
revoke all on private.upload_plans from public, anon, authenticated, service_role;
alter table private.upload_plans enable row level security;
alter table private.upload_plans force row level security;

-- The caller plans an upload into their own municipality's folder.
create function private.plan_upload(p_bucket text, p_path text) returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is null or (select private.tenant_id()) is null
     or split_part(p_path, '/', 1) <> (select private.tenant_id())::text then
    raise exception 'Uploads go to your own municipality''s folder.' using errcode = '42501';
  end if;
  -- Plans are for the next few minutes; old ones (never used) go.
  delete from private.upload_plans p where p.created_at < now() - interval '1 day';
  insert into private.upload_plans (bucket, path, user_id, tenant_id)
  values (p_bucket, p_path, (select auth.uid()), (select private.tenant_id()))
  on conflict (bucket, path) do update
    set user_id = excluded.user_id, tenant_id = excluded.tenant_id, created_at = now();
end
$$;
revoke all on function private.plan_upload(text, text) from public, anon, service_role;
grant execute on function private.plan_upload(text, text) to authenticated;

create function private.owner_from_plan() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_user uuid;
begin
  if new.owner_id is null then
    delete from private.upload_plans p
     where p.bucket = new.bucket_id and p.path = new.name
       and p.created_at > now() - interval '1 day'
    returning p.user_id into v_user;
    if v_user is not null then
      new.owner_id := v_user::text;
    end if;
  end if;
  return new;
end
$$;
revoke all on function private.owner_from_plan() from public, anon, authenticated, service_role;

create trigger owner_from_plan before insert on storage.objects
  for each row execute function private.owner_from_plan();
