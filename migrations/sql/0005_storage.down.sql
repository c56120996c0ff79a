-- 0005 undone: verification, media recording, storage policies, buckets.
drop function if exists private.log_media_access(uuid);
drop table if exists public.media_access_log;
drop function if exists private.evidence_bucket_for(uuid);
drop function if exists private.verification_cases(text);
drop function if exists private.decide_verification(uuid, text, text);
drop function if exists private.record_verification_result(uuid, uuid, text, text, text[]);
drop function if exists private.submit_verification(uuid);

-- Only storage.objects' owner may drop its triggers by name; postgres owns
-- the functions, and dropping them takes their triggers with them.
drop function if exists private.forget_media() cascade;
drop function if exists private.record_media() cascade;

drop policy if exists "SAPS liaisons and admins delete their municipality's sensitive evidence" on storage.objects;
drop policy if exists "SAPS liaisons and admins replace their municipality's sensitive evidence" on storage.objects;
drop policy if exists "SAPS liaisons and admins add sensitive evidence to their municipality's reports" on storage.objects;
drop policy if exists "SAPS liaisons and admins read their municipality's sensitive evidence" on storage.objects;
drop policy if exists "Users delete their own documents" on storage.objects;
drop policy if exists "Users replace their own documents" on storage.objects;
drop policy if exists "Users add documents to their own folder" on storage.objects;
drop policy if exists "Users read their own documents; managers and admins their municipality's" on storage.objects;
drop policy if exists "Users delete evidence they uploaded; admins any of their municipality's" on storage.objects;
drop policy if exists "Users replace evidence they uploaded" on storage.objects;
drop policy if exists "Users add evidence to their own folder or to ordinary tickets they see" on storage.objects;
drop policy if exists "Users read evidence in their own folder or of ordinary tickets they see" on storage.objects;

drop function if exists private.is_quarantined(text, text);
drop function if exists private.storage_ticket_folder(text, boolean);
drop function if exists private.as_uuid(text);

drop index if exists public.profiles_verification_document_idx;
drop index if exists public.profiles_verification_idx;
alter table public.profiles
  drop constraint if exists verified_at_only_when_verified,
  drop column if exists verification_reasons,
  drop column if exists verified_at,
  drop column if exists verification_document_id,
  drop column if exists verified_address,
  drop column if exists verification_status;

drop index if exists public.media_attachments_pending_idx;
alter table public.media_attachments
  drop constraint if exists quarantine_has_reason,
  drop column if exists scanned_at,
  drop column if exists quarantine_reason,
  drop column if exists scan_status;

-- Storage refuses deletes unless the transaction allows them (as the Storage
-- server does per request); the files' bytes stay in the bucket's backend.
select set_config('storage.allow_delete_query', 'true', true);
delete from storage.objects where bucket_id in ('evidence', 'documents', 'gbv-evidence');
delete from storage.buckets where id in ('evidence', 'documents', 'gbv-evidence');
