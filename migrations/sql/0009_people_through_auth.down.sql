-- Undo 0009: people are no longer given a profile by trigger; upload
-- checks raise SA422 again; signed uploads no longer take their planned owner.
-- (Dropping the functions takes their triggers on auth.users and
-- storage.objects with them: only those tables' owners may drop them by name.)
drop function if exists private.owner_from_plan() cascade;
drop function if exists private.plan_upload(text, text);
drop table if exists private.upload_plans;
-- Only auth.users' owner may drop a trigger on it by name; postgres owns the
-- function, and dropping it takes the trigger with it.
drop function if exists private.handle_new_user() cascade;

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
