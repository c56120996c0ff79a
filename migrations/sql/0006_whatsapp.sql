-- =====================================================================
-- 0006 WhatsApp
-- Conversations (state in the database), the inbound message log that makes
-- the webhook idempotent, the media download queue, approved message
-- templates, delivery status events, and the rule that the platform never
-- messages the reporter of a sensitive (GBV) ticket first.
-- Only the webhook and workers (service role) touch these tables; API users
-- get nothing.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Conversations: one per (municipality, phone). The draft description is
-- kept only encrypted (Fernet, see app/crypto.py) and is cleared when the
-- report is filed, abandoned or expired.
-- ---------------------------------------------------------------------
create table public.whatsapp_conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id) on delete cascade,
  phone text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  user_id uuid references public.profiles (id) on delete set null,
  language text check (language in ('en', 'zu', 'af')),
  state text not null default 'language'
    check (state in ('language', 'consent', 'menu', 'sensitive_consent', 'description',
                     'location', 'photos', 'confirm', 'opted_out')),
  category text check (category in ('water', 'electricity', 'roads', 'waste', 'sanitation',
                                    'gbv', 'other')),
  encrypted_draft_description text,
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  address text check (length(address) <= 500),
  consent_version text,
  opted_out_at timestamptz,
  last_inbound_at timestamptz not null default now(),
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, phone)
);
comment on table public.whatsapp_conversations is
  'Where each citizen is in the WhatsApp reporting conversation, per municipality.';
create index whatsapp_conversations_user_id_idx on public.whatsapp_conversations (user_id);
create index whatsapp_conversations_expires_at_idx on public.whatsapp_conversations (expires_at)
  where expires_at is not null;

create trigger stamp_row before insert or update on public.whatsapp_conversations
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Inbound log: one row per Twilio MessageSid, holding the reply we gave, so a
-- retried delivery gets the same reply and changes nothing. No message body
-- is kept here.
-- ---------------------------------------------------------------------
create table public.whatsapp_inbound_messages (
  message_sid text primary key check (message_sid ~ '^[A-Za-z0-9]{10,64}$'),
  tenant_id uuid not null references public.municipalities (id) on delete cascade,
  conversation_id uuid references public.whatsapp_conversations (id) on delete set null,
  reply text,
  received_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.whatsapp_inbound_messages is
  'Each inbound WhatsApp message once (by MessageSid) and the reply it got.';
create index whatsapp_inbound_messages_tenant_id_idx on public.whatsapp_inbound_messages (tenant_id);
create index whatsapp_inbound_messages_conversation_id_idx
  on public.whatsapp_inbound_messages (conversation_id);

create trigger stamp_row before insert or update on public.whatsapp_inbound_messages
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Media jobs: photos a citizen sent, downloaded by the worker once the
-- report is filed. file_id is fixed up front so a retry writes the same
-- object (nothing stored twice).
-- ---------------------------------------------------------------------
create table public.whatsapp_media_jobs (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.municipalities (id) on delete cascade,
  conversation_id uuid references public.whatsapp_conversations (id) on delete set null,
  ticket_id uuid references public.tickets (id) on delete cascade,
  message_sid text not null,
  media_index int not null check (media_index between 0 and 9),
  media_url text not null check (media_url ~ '^https?://'),
  file_id uuid not null default gen_random_uuid(),
  bucket text check (bucket in ('evidence', 'gbv-evidence')),
  storage_path text,
  status text not null default 'waiting'
    check (status in ('waiting', 'pending', 'stored', 'done', 'failed', 'discard', 'discarded')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (message_sid, media_index)
);
comment on table public.whatsapp_media_jobs is
  'Photos to fetch from Twilio, clean (EXIF), store and delete at Twilio; retried with backoff.';
create index whatsapp_media_jobs_due_idx on public.whatsapp_media_jobs (next_attempt_at)
  where status in ('pending', 'stored', 'discard');
create index whatsapp_media_jobs_conversation_id_idx on public.whatsapp_media_jobs (conversation_id);
create index whatsapp_media_jobs_ticket_id_idx on public.whatsapp_media_jobs (ticket_id);
create index whatsapp_media_jobs_tenant_id_idx on public.whatsapp_media_jobs (tenant_id);

create trigger stamp_row before insert or update on public.whatsapp_media_jobs
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Approved WhatsApp templates (Twilio Content API), used outside the
-- 24-hour customer-service window. variable_names maps the template's
-- numbered placeholders {{1}}, {{2}}, ... to notification variables.
-- ---------------------------------------------------------------------
create table public.whatsapp_templates (
  template_key text not null check (template_key ~ '^[a-z][a-z0-9_]{1,63}$'),
  language text not null check (language in ('en', 'zu', 'af')),
  content_sid text not null check (content_sid ~ '^HX[0-9a-fA-F]{32}$'),
  variable_names text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  primary key (template_key, language)
);
comment on table public.whatsapp_templates is
  'The approved template (ContentSid) for each notification kind and language.';

create trigger stamp_row before insert or update on public.whatsapp_templates
  for each row execute function private.stamp_row();

-- ---------------------------------------------------------------------
-- Delivery status events from Twilio's status callbacks (append-only).
-- ---------------------------------------------------------------------
create table public.notification_delivery_events (
  id bigint generated always as identity primary key,
  message_sid text not null,
  outbox_id bigint references public.notification_outbox (id) on delete cascade,
  status text not null check (length(status) <= 32),
  error_code text check (length(error_code) <= 16),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.notification_delivery_events is
  'Every delivery status Twilio reported for a message we sent.';
create index notification_delivery_events_message_sid_idx
  on public.notification_delivery_events (message_sid);
create index notification_delivery_events_outbox_id_idx
  on public.notification_delivery_events (outbox_id);

create trigger stamp_row before insert or update on public.notification_delivery_events
  for each row execute function private.stamp_row();

-- Records a callback and moves the outbox row forward only (a late 'sent'
-- never overwrites 'delivered'). Returns false for an unknown MessageSid.
create function private.record_delivery_status(
  p_message_sid text, p_status text, p_error_code text
) returns boolean
language plpgsql
set search_path = ''
as $$
declare
  target bigint;
  mapped text := case p_status
    when 'read' then 'delivered'
    when 'accepted' then 'sent'
    when 'queued' then 'sent'
    when 'sending' then 'sent'
    else p_status end;
  rank_of jsonb := '{"sent": 1, "undelivered": 2, "failed": 2, "delivered": 3}';
begin
  select o.id into target from public.notification_outbox o where o.message_sid = p_message_sid;
  insert into public.notification_delivery_events (message_sid, outbox_id, status, error_code)
  values (p_message_sid, target, p_status, p_error_code);
  if target is null then
    return false;
  end if;
  if rank_of ? mapped then
    update public.notification_outbox o
       set status = mapped,
           last_error = coalesce(nullif(p_error_code, ''), o.last_error)
     where o.id = target
       and coalesce((rank_of ->> o.status)::int, 0) < (rank_of ->> mapped)::int;
  end if;
  return true;
end
$$;
revoke all on function private.record_delivery_status(text, text, text) from public, authenticated;
grant execute on function private.record_delivery_status(text, text, text) to service_role;

-- ---------------------------------------------------------------------
-- Never message the reporter of a sensitive ticket first: whatever tries
-- to queue a notification about one, the row is dropped here.
-- ---------------------------------------------------------------------
create function private.drop_sensitive_notifications() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.ticket_id is not null and exists (
       select 1 from public.tickets t where t.id = new.ticket_id and t.is_sensitive) then
    return null;
  end if;
  return new;
end
$$;
revoke all on function private.drop_sensitive_notifications() from public, authenticated;

create trigger never_first_for_sensitive before insert on public.notification_outbox
  for each row execute function private.drop_sensitive_notifications();

-- ---------------------------------------------------------------------
-- Privileges: only the service role (webhook and workers) uses these tables.
-- ---------------------------------------------------------------------
revoke all on public.whatsapp_conversations, public.whatsapp_inbound_messages,
  public.whatsapp_media_jobs, public.whatsapp_templates, public.notification_delivery_events
  from anon, authenticated;
grant all on public.whatsapp_conversations, public.whatsapp_inbound_messages,
  public.whatsapp_media_jobs, public.whatsapp_templates, public.notification_delivery_events
  to service_role;

alter table public.whatsapp_conversations enable row level security;
alter table public.whatsapp_conversations force row level security;
alter table public.whatsapp_inbound_messages enable row level security;
alter table public.whatsapp_inbound_messages force row level security;
alter table public.whatsapp_media_jobs enable row level security;
alter table public.whatsapp_media_jobs force row level security;
alter table public.whatsapp_templates enable row level security;
alter table public.whatsapp_templates force row level security;
alter table public.notification_delivery_events enable row level security;
alter table public.notification_delivery_events force row level security;
-- No policies for authenticated: with RLS forced and no grants, API users
-- see none of it; service_role bypasses RLS.

-- ---------------------------------------------------------------------
-- The worker also resumes sends interrupted by a crash (status 'sending'
-- whose lease ran out); index them like the due pending rows.
-- ---------------------------------------------------------------------
create index notification_outbox_sending_idx
  on public.notification_outbox (next_attempt_at) where status = 'sending';
