-- 0005: Storage: buckets, storage.objects policies, media recording, verification.
-- (Reserved: filled by the work that owns it.)
select 1;
