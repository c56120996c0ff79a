-- 0010 operations, undone.
alter table public.audit_log drop column request_id;

alter function private.sla_status_at(timestamptz, timestamptz, timestamptz, timestamptz,
                                     timestamptz, numeric, timestamptz) immutable;
