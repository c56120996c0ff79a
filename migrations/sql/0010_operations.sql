-- 0010 operations: list queries inline the SLA status, and the audit trail
-- names the request that caused each entry.

-- ---------------------------------------------------------------------
-- SLA status inlines into list queries.
-- private.sla_status_at was IMMUTABLE, but its body adds intervals to
-- timestamptz (a STABLE operator: it depends on the time zone). PostgreSQL
-- only inlines an IMMUTABLE SQL function whose body is immutable, so every
-- row of GET /tickets paid a full function call. STABLE is the truth and
-- lets the planner inline it (and public.sla_status, already STABLE).
-- ---------------------------------------------------------------------
alter function private.sla_status_at(timestamptz, timestamptz, timestamptz, timestamptz,
                                     timestamptz, numeric, timestamptz) stable;

-- ---------------------------------------------------------------------
-- The request id in the audit trail.
-- The API sets app.request_id for each transaction a request opens (and
-- logs the same id), so an audit entry and a log line can be matched. A
-- column default, not a change to the audit trigger: the trigger's insert
-- names its columns, so this fills in for every entry it writes, and rows
-- written outside a request (workers, cron, migrations) get NULL.
-- ---------------------------------------------------------------------
alter table public.audit_log
  add column request_id text
    default nullif(pg_catalog.current_setting('app.request_id', true), '')
    check (request_id is null or length(request_id) <= 64);
comment on column public.audit_log.request_id is
  'The API request (X-Request-ID) that caused this entry; NULL outside a request.';
