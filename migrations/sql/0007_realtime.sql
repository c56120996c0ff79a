-- =====================================================================
-- 0007 Realtime
-- Who may receive which private broadcast channel. Ticket events travel on
--   municipality:<tenant_id>  non-sensitive tickets: the municipality's staff
--   gbv:<tenant_id>           sensitive (GBV) tickets: SAPS liaisons and admins
-- Supabase Realtime (and our local gateway) decides at join and on every
-- token refresh by asking, as the caller with realtime.topic set to the
-- channel, whether a SELECT on realtime.messages sees a probe row.
-- Nobody but the service role (and security-definer triggers calling
-- realtime.send) writes messages: there is no INSERT policy.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Helper: may the caller receive broadcasts on this channel topic?
-- Reads only the caller's claims (app_metadata, set by our token hook).
-- ---------------------------------------------------------------------
create function private.may_receive_topic(channel text) returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(
    case
      when channel = 'municipality:' || (select private.tenant_id())::text
        then (select private.app_role()) in ('field_worker', 'manager', 'admin', 'saps_liaison')
      when channel = 'gbv:' || (select private.tenant_id())::text
        then (select private.app_role()) in ('saps_liaison', 'admin')
      else false
    end,
    false)
$$;
comment on function private.may_receive_topic(text) is
  'True when the caller may receive broadcasts on the channel topic (municipality:<id> or gbv:<id>).';

revoke all on function private.may_receive_topic(text) from public, anon;
grant execute on function private.may_receive_topic(text) to authenticated, service_role;

-- ---------------------------------------------------------------------
-- Policy on realtime.messages (receive only; no insert/update policy)
-- ---------------------------------------------------------------------
create policy "Staff receive the ticket channels of their municipality"
  on realtime.messages for select to authenticated
  using (
    realtime.messages.extension = 'broadcast'
    and realtime.messages.topic = (select realtime.topic())
    and (select private.may_receive_topic((select realtime.topic())))
  );
