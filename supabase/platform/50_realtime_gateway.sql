-- Local platform only: wakes the local Realtime gateway when a message is
-- committed. Supabase Realtime reads realtime.messages by logical
-- replication; our gateway LISTENs instead. Notifications are delivered at
-- commit, in commit order, and never for rolled-back rows (such as the
-- authorization probes). Small messages travel whole; large ones by id.
-- NEVER applied to a real Supabase project.

create or replace function realtime.local_gateway_notify() returns trigger
language plpgsql as $$
declare
  body text;
begin
  body := jsonb_build_object(
    'id', new.id, 'topic', new.topic, 'event', new.event, 'private', new.private,
    'extension', new.extension, 'inserted_at', new.inserted_at, 'payload', new.payload)::text;
  if octet_length(body) > 7000 then
    body := jsonb_build_object('id', new.id, 'inserted_at', new.inserted_at)::text;
  end if;
  perform pg_notify('realtime_messages', body);
  return null;
end
$$;
alter function realtime.local_gateway_notify() owner to supabase_realtime_admin;

drop trigger if exists local_gateway_notify on realtime.messages;
create trigger local_gateway_notify
  after insert on realtime.messages
  for each row execute function realtime.local_gateway_notify();
