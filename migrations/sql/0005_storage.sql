-- =====================================================================
-- 0005 Storage
-- The three private buckets, who may touch which objects (storage.objects
-- policies), the trigger that records every stored file in
-- public.media_attachments, quarantine of files that fail the post-upload
-- check, and proof-of-residence verification on profiles.
-- Objects live at {tenant_id}/{ticket_id or user_id}/{file_id}.{ext}.
-- Runs unchanged on a Supabase project and on the local platform.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Buckets (as in supabase/config.toml)
-- ---------------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('evidence', 'evidence', false, 10485760,
   array['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'video/mp4', 'audio/ogg',
         'audio/mpeg', 'application/pdf']),
  ('documents', 'documents', false, 10485760,
   array['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
  ('gbv-evidence', 'gbv-evidence', false, 20971520,
   array['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'video/mp4', 'audio/ogg',
         'audio/mpeg', 'application/pdf'])
on conflict (id) do update
  set public = excluded.public, file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

-- ---------------------------------------------------------------------
-- Media: quarantine after the post-upload check
-- ---------------------------------------------------------------------
alter table public.media_attachments
  add column scan_status text not null default 'pending'
    check (scan_status in ('pending', 'clean', 'quarantined')),
  add column quarantine_reason text check (quarantine_reason is null or length(quarantine_reason) <= 500),
  add column scanned_at timestamptz,
  add constraint quarantine_has_reason
    check (scan_status <> 'quarantined' or quarantine_reason is not null);
create index media_attachments_pending_idx on public.media_attachments (created_at)
  where scan_status = 'pending';

-- ---------------------------------------------------------------------
-- Profiles: proof-of-residence verification (users cannot write these
-- columns: 0001 grants them update on full_name and preferred_language only)
-- ---------------------------------------------------------------------
alter table public.profiles
  add column verification_status text
    check (verification_status in ('pending', 'verified', 'rejected', 'needs_review')),
  add column verified_address text check (verified_address is null or length(verified_address) <= 500),
  add column verification_document_id uuid references public.media_attachments (id) on delete set null,
  add column verified_at timestamptz,
  add column verification_reasons text[] not null default '{}',
  add constraint verified_at_only_when_verified
    check ((verification_status is not distinct from 'verified') = (verified_at is not null));
create index profiles_verification_idx on public.profiles (tenant_id, verification_status)
  where verification_status is not null;
create index profiles_verification_document_idx on public.profiles (verification_document_id);

-- ---------------------------------------------------------------------
-- Helpers for the storage policies (security definer: they read tickets
-- and media without recursing into those tables' policies)
-- ---------------------------------------------------------------------
create function private.as_uuid(p_text text) returns uuid
language sql immutable
set search_path = ''
as $$
  select case when p_text ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              then p_text::uuid end
$$;

-- Is the folder a ticket of the caller's municipality, with this
-- sensitivity, that the caller may see (reporter, team, manager, admin,
-- or SAPS liaison for sensitive ones)?
create function private.storage_ticket_folder(p_folder text, p_sensitive boolean) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.tickets t
     where t.id = private.as_uuid(p_folder)
       and t.tenant_id = (select private.tenant_id())
       and t.is_sensitive = p_sensitive
       and (private.can_see_ticket(t.id)
            or (not t.is_sensitive and t.reporter_id = (select auth.uid())))
  )
$$;

-- Was this object quarantined by the post-upload check?
create function private.is_quarantined(p_bucket text, p_path text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.media_attachments m
     where m.bucket = p_bucket and m.path = p_path and m.scan_status = 'quarantined'
  )
$$;

revoke all on function private.as_uuid(text), private.storage_ticket_folder(text, boolean),
  private.is_quarantined(text, text) from public, anon;
grant execute on function private.as_uuid(text), private.storage_ticket_folder(text, boolean),
  private.is_quarantined(text, text) to authenticated, service_role;

-- ---------------------------------------------------------------------
-- storage.objects policies. The first folder is always the caller's
-- municipality; the service role (BYPASSRLS) needs none.
-- ---------------------------------------------------------------------

-- evidence: a user's own folder, or the folder of an ordinary ticket they
-- may see (their own report; their team's; any for managers and admins).
create policy "Users read evidence in their own folder or of ordinary tickets they see"
  on storage.objects for select to authenticated
  using (bucket_id = 'evidence'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and ((storage.foldername(name))[2] = (select auth.uid())::text
              or private.storage_ticket_folder((storage.foldername(name))[2], false))
         and not private.is_quarantined(bucket_id, name));
create policy "Users add evidence to their own folder or to ordinary tickets they see"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'evidence'
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and ((storage.foldername(name))[2] = (select auth.uid())::text
                   or private.storage_ticket_folder((storage.foldername(name))[2], false)));
create policy "Users replace evidence they uploaded"
  on storage.objects for update to authenticated
  using (bucket_id = 'evidence' and owner_id = (select auth.uid())::text
         and (storage.foldername(name))[1] = (select private.tenant_id())::text)
  with check (bucket_id = 'evidence' and owner_id = (select auth.uid())::text
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and ((storage.foldername(name))[2] = (select auth.uid())::text
                   or private.storage_ticket_folder((storage.foldername(name))[2], false)));
create policy "Users delete evidence they uploaded; admins any of their municipality's"
  on storage.objects for delete to authenticated
  using (bucket_id = 'evidence'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and (owner_id = (select auth.uid())::text or (select private.app_role()) = 'admin'));

-- documents: proof of residence, in the citizen's own folder; managers and
-- admins of the municipality read them to decide verification cases.
create policy "Users read their own documents; managers and admins their municipality's"
  on storage.objects for select to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and ((storage.foldername(name))[2] = (select auth.uid())::text
              or (select private.app_role()) in ('manager', 'admin'))
         and not private.is_quarantined(bucket_id, name));
create policy "Users add documents to their own folder"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'documents'
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and (storage.foldername(name))[2] = (select auth.uid())::text);
create policy "Users replace their own documents"
  on storage.objects for update to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and (storage.foldername(name))[2] = (select auth.uid())::text)
  with check (bucket_id = 'documents'
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and (storage.foldername(name))[2] = (select auth.uid())::text);
create policy "Users delete their own documents"
  on storage.objects for delete to authenticated
  using (bucket_id = 'documents'
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and (storage.foldername(name))[2] = (select auth.uid())::text);

-- gbv-evidence: SAPS liaisons and admins of the municipality only. Reporters
-- add files through a signed upload URL our API issues; they never read them.
create policy "SAPS liaisons and admins read their municipality's sensitive evidence"
  on storage.objects for select to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.app_role()) in ('saps_liaison', 'admin')
         and (storage.foldername(name))[1] = (select private.tenant_id())::text
         and not private.is_quarantined(bucket_id, name));
create policy "SAPS liaisons and admins add sensitive evidence to their municipality's reports"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'gbv-evidence'
              and (select private.app_role()) in ('saps_liaison', 'admin')
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and private.storage_ticket_folder((storage.foldername(name))[2], true));
create policy "SAPS liaisons and admins replace their municipality's sensitive evidence"
  on storage.objects for update to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.app_role()) in ('saps_liaison', 'admin')
         and (storage.foldername(name))[1] = (select private.tenant_id())::text)
  with check (bucket_id = 'gbv-evidence'
              and (select private.app_role()) in ('saps_liaison', 'admin')
              and (storage.foldername(name))[1] = (select private.tenant_id())::text
              and private.storage_ticket_folder((storage.foldername(name))[2], true));
create policy "SAPS liaisons and admins delete their municipality's sensitive evidence"
  on storage.objects for delete to authenticated
  using (bucket_id = 'gbv-evidence'
         and (select private.app_role()) in ('saps_liaison', 'admin')
         and (storage.foldername(name))[1] = (select private.tenant_id())::text);

-- ---------------------------------------------------------------------
-- Every stored file gets its media_attachments row, however it arrived
-- (SDK upload, signed upload, server-side from WhatsApp).
-- ---------------------------------------------------------------------
create function private.record_media() returns trigger
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
      using errcode = 'SA422';
  end if;
  select t.id, t.is_sensitive into v_ticket
    from public.tickets t where t.id = v_folder and t.tenant_id = v_tenant;
  if v_ticket.id is null then
    select p.id into v_user from public.profiles p where p.id = v_folder and p.tenant_id = v_tenant;
    if v_user is null then
      raise exception 'The folder must be a report or a user of the municipality.'
        using errcode = 'SA422';
    end if;
  else
    select p.id into v_user from public.profiles p
     where p.id = private.as_uuid(new.owner_id) and p.tenant_id = v_tenant;
  end if;
  if new.bucket_id = 'gbv-evidence' and not coalesce(v_ticket.is_sensitive, false) then
    raise exception 'This bucket holds evidence of protected reports only.' using errcode = 'SA422';
  end if;
  if new.bucket_id <> 'gbv-evidence' and coalesce(v_ticket.is_sensitive, false) then
    raise exception 'Evidence of a protected report must go to its protected bucket.'
      using errcode = 'SA422';
  end if;
  if new.bucket_id = 'documents' and v_ticket.id is not null then
    raise exception 'Documents go in the user''s own folder.' using errcode = 'SA422';
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

create function private.forget_media() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  delete from public.media_attachments m where m.bucket = old.bucket_id and m.path = old.name;
  return old;
end
$$;

revoke all on function private.record_media(), private.forget_media() from public, anon, authenticated;

create trigger record_media after insert or update of name, version, metadata on storage.objects
  for each row execute function private.record_media();
create trigger forget_media after delete on storage.objects
  for each row execute function private.forget_media();

-- ---------------------------------------------------------------------
-- Proof-of-residence verification: citizens submit, the OCR worker
-- (service role) records its result, managers decide what it could not.
-- ---------------------------------------------------------------------
create function private.submit_verification(p_document_id uuid) returns public.profiles
language plpgsql security definer
set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  if not exists (
    select 1 from public.media_attachments m
     where m.id = p_document_id and m.user_id = (select auth.uid())
       and m.tenant_id = (select private.tenant_id()) and m.purpose = 'proof_of_residence'
  ) then
    raise exception 'No such document of yours.' using errcode = 'SA404';
  end if;
  if exists (select 1 from public.media_attachments m
              where m.id = p_document_id and m.scan_status = 'quarantined') then
    raise exception 'This file failed the safety check; please upload the document again.'
      using errcode = 'SA422';
  end if;
  update public.profiles p
     set verification_status = 'pending', verification_document_id = p_document_id,
         verification_reasons = '{}', verified_address = null, verified_at = null
   where p.id = (select auth.uid()) and p.verification_status is distinct from 'verified'
  returning * into v_profile;
  if v_profile.id is null then
    raise exception 'Your residence is already verified.' using errcode = 'SA409';
  end if;
  return v_profile;
end
$$;

create function private.record_verification_result(
  p_user_id uuid, p_document_id uuid, p_status text, p_address text, p_reasons text[]
) returns public.profiles
language plpgsql security definer
set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  if p_status not in ('verified', 'rejected', 'needs_review') then
    raise exception 'Unknown verification outcome %.', p_status using errcode = 'SA422';
  end if;
  update public.profiles p
     set verification_status = p_status, verified_address = p_address,
         verification_reasons = coalesce(p_reasons, '{}'),
         verified_at = case when p_status = 'verified' then now() end
   where p.id = p_user_id and p.verification_status = 'pending'
     and p.verification_document_id = p_document_id
  returning * into v_profile;
  if v_profile.id is null then
    raise exception 'No pending verification for this document.' using errcode = 'SA409';
  end if;
  update public.media_attachments set is_processed = true where id = p_document_id;
  return v_profile;
end
$$;

create function private.decide_verification(p_user_id uuid, p_decision text, p_note text)
returns public.profiles
language plpgsql security definer
set search_path = ''
as $$
declare
  v_profile public.profiles;
begin
  if (select private.app_role()) not in ('manager', 'admin') then
    raise exception 'Only managers and admins decide verification cases.' using errcode = 'SA403';
  end if;
  if p_decision not in ('verified', 'rejected') then
    raise exception 'A decision is verified or rejected.' using errcode = 'SA422';
  end if;
  select * into v_profile from public.profiles p
   where p.id = p_user_id and p.tenant_id = (select private.tenant_id()) for update;
  if v_profile.id is null then
    raise exception 'No such resident.' using errcode = 'SA404';
  end if;
  if v_profile.verification_status is distinct from 'needs_review' then
    raise exception 'This case is not waiting for review.' using errcode = 'SA409';
  end if;
  update public.profiles p
     set verification_status = p_decision,
         verification_reasons = p.verification_reasons
           || array['decided by ' || (select private.app_role()) || coalesce(': ' || nullif(btrim(p_note), ''), '')],
         verified_at = case when p_decision = 'verified' then now() end
   where p.id = p_user_id
  returning * into v_profile;
  return v_profile;
end
$$;

create function private.verification_cases(p_status text)
returns setof public.profiles
language plpgsql stable security definer
set search_path = ''
as $$
begin
  if (select private.app_role()) not in ('manager', 'admin') then
    raise exception 'Only managers and admins see verification cases.' using errcode = 'SA403';
  end if;
  return query select * from public.profiles p
    where p.tenant_id = (select private.tenant_id()) and p.verification_status = p_status
    order by p.updated_at;
end
$$;

revoke all on function private.submit_verification(uuid),
  private.record_verification_result(uuid, uuid, text, text, text[]),
  private.decide_verification(uuid, text, text), private.verification_cases(text)
  from public, anon, authenticated;
grant execute on function private.submit_verification(uuid),
  private.decide_verification(uuid, text, text), private.verification_cases(text)
  to authenticated;
grant execute on function private.record_verification_result(uuid, uuid, text, text, text[])
  to service_role;

-- ---------------------------------------------------------------------
-- Uploads API helpers and the GBV media access log
-- ---------------------------------------------------------------------
-- Which bucket takes evidence for this ticket, if the caller may add to it
-- (its reporter, or staff who see it). NULL when unknown or hidden.
create function private.evidence_bucket_for(p_ticket_id uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select case when t.is_sensitive then 'gbv-evidence' else 'evidence' end
    from public.tickets t
   where t.id = p_ticket_id
     and t.tenant_id = (select private.tenant_id())
     and (t.reporter_id = (select auth.uid()) or private.can_see_ticket(t.id))
$$;
revoke all on function private.evidence_bucket_for(uuid) from public, anon;
grant execute on function private.evidence_bucket_for(uuid) to authenticated, service_role;

-- Every signed URL issued for sensitive media, and to whom.
create table public.media_access_log (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.municipalities (id),
  media_id uuid not null references public.media_attachments (id) on delete cascade,
  user_id uuid not null,
  action text not null default 'signed_url' check (action in ('signed_url')),
  accessed_at timestamptz not null default now()
);
create index media_access_log_tenant_idx on public.media_access_log (tenant_id, accessed_at desc);
create index media_access_log_media_idx on public.media_access_log (media_id);
revoke all on public.media_access_log from anon, authenticated;
grant select on public.media_access_log to authenticated;
grant all on public.media_access_log to service_role;
alter table public.media_access_log enable row level security;
alter table public.media_access_log force row level security;
create policy "Admins read their municipality's sensitive media access log"
  on public.media_access_log for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');

create function private.log_media_access(p_media_id uuid) returns void
language sql security definer
set search_path = ''
as $$
  insert into public.media_access_log (tenant_id, media_id, user_id)
  select m.tenant_id, m.id, (select auth.uid()) from public.media_attachments m
   where m.id = p_media_id and (select auth.uid()) is not null
$$;
revoke all on function private.log_media_access(uuid) from public, anon;
grant execute on function private.log_media_access(uuid) to authenticated;
