-- =====================================================================
-- 0011 POPIA
-- The personal-information duties of the platform (the municipality is the
-- responsible party, we are its operator):
--   * a versioned, approved message library: every text a citizen receives
--     (WhatsApp replies, notifications, the privacy notice) is a row here;
--     managers draft, only admins approve, drafts never reach a citizen;
--   * the privacy notice and consent: which notice version each person saw;
--     web reports wait until the current notice is acknowledged;
--   * data-subject requests (access, correction, deletion, objection) on a
--     30-day clock, one extension, an outcome;
--   * erasure that survives an append-only audit: the audit never stores a
--     personal value in clear (a per-person key encrypts it; erasure destroys
--     the key), and private.erase_person() removes everything else;
--   * retention: a schedule per municipality and kind of data, legal hold,
--     restriction, private.apply_retention() run by pg_cron; stored files are
--     queued for removal through the Storage API;
--   * the breach register and the register of operators and cross-border
--     transfers, for admins only, audited.
-- =====================================================================

create extension if not exists pgcrypto with schema extensions;

-- =====================================================================
-- Message library
-- =====================================================================

-- ---------------------------------------------------------------------
-- Keys: what a text is for and the variables its body may use. A body that
-- names any other variable is refused when it is drafted.
-- ---------------------------------------------------------------------
create table public.message_template_keys (
  template_key text primary key check (template_key ~ '^[a-z][a-z0-9_]{1,63}$'),
  kind text not null check (kind in ('conversation', 'notification', 'notice', 'label')),
  variables text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.message_template_keys is
  'Every message the platform can send, and the variables its text may use.';

-- ---------------------------------------------------------------------
-- Versions. tenant_id NULL is the platform default a municipality may
-- override with its own approved version. Versions are numbered per
-- (municipality or platform, key, language) and never edited: a change is
-- a new draft. At most one approved version per scope, key and language.
-- ---------------------------------------------------------------------
create table public.message_templates (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.municipalities (id) on delete cascade,
  template_key text not null references public.message_template_keys (template_key),
  language text not null check (language in ('en', 'zu', 'af')),
  version integer not null default 1 check (version > 0),
  body text not null check (length(btrim(body)) between 1 and 4000),
  status text not null default 'draft' check (status in ('draft', 'approved', 'retired')),
  note text check (note is null or length(note) <= 1000),
  approved_by uuid,
  approved_at timestamptz,
  approval_note text check (approval_note is null or length(approval_note) <= 1000),
  retired_at timestamptz,
  previous_version_id uuid references public.message_templates (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  constraint approved_has_approval check (status = 'draft' or approved_at is not null
                                          or status = 'retired')
);
comment on table public.message_templates is
  'Versioned texts (draft -> approved -> retired); citizens only ever receive approved ones.';
create unique index message_templates_version_key on public.message_templates
  (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), template_key, language,
   version);
create unique index message_templates_one_approved on public.message_templates
  (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), template_key, language)
  where status = 'approved';
create index message_templates_tenant_idx on public.message_templates (tenant_id);
create index message_templates_current_idx on public.message_templates (template_key, language)
  where status = 'approved';

create trigger stamp_row before insert or update on public.message_template_keys
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.message_templates
  for each row execute function private.stamp_row();

-- The approved version a citizen of p_tenant receives: the municipality's
-- own, else the platform default; English when the language has none.
create function private.current_template_id(p_tenant uuid, p_key text, p_language text)
returns uuid
language sql stable security definer
set search_path = ''
as $$
  select m.id from public.message_templates m
   where m.template_key = p_key and m.status = 'approved'
     and m.language in (p_language, 'en')
     and (m.tenant_id = p_tenant or m.tenant_id is null)
   order by m.language = p_language desc, m.tenant_id is null
   limit 1
$$;

-- Variables a body names ({name}); a stray brace is not a variable.
create function private.template_variables(p_body text) returns text[]
language sql immutable
set search_path = ''
as $$
  select coalesce(array_agg(distinct m[1]), '{}')
    from regexp_matches(p_body, '\{([a-z_][a-z0-9_]*)\}', 'g') as m
$$;

-- A new version: body checked against the key's variables, numbered, linked
-- to the version it replaces. API users only ever create drafts. (Inside a
-- security-definer function current_user is the owner: the caller's role is
-- read from the request's claims, auth.role().)
create function private.prepare_template_version() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_allowed text[];
  v_unknown text[];
  v_scope uuid := coalesce(new.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid);
begin
  select k.variables into v_allowed from public.message_template_keys k
   where k.template_key = new.template_key;
  if v_allowed is null then
    raise exception 'template_key: unknown message key %', new.template_key using errcode = 'SA422';
  end if;
  if regexp_replace(new.body, '\{[a-z_][a-z0-9_]*\}', '', 'g') ~ '[{}]' then
    raise exception 'body: braces are only for variables, written as {name}' using errcode = 'SA422';
  end if;
  select array_agg(v) into v_unknown
    from unnest(private.template_variables(new.body)) v where v <> all (v_allowed);
  if v_unknown is not null then
    raise exception 'body: % may use only the variables {%}, not {%}', new.template_key,
      array_to_string(v_allowed, '}, {'), array_to_string(v_unknown, '}, {')
      using errcode = 'SA422';
  end if;
  if auth.role() = 'authenticated' then
    new.status := 'draft';
    new.approved_by := null;
    new.approved_at := null;
    new.approval_note := null;
    new.retired_at := null;
  end if;
  perform pg_advisory_xact_lock(hashtext(v_scope::text || new.template_key || new.language));
  select coalesce(max(m.version), 0) + 1 into new.version from public.message_templates m
   where coalesce(m.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid) = v_scope
     and m.template_key = new.template_key and m.language = new.language;
  new.previous_version_id := private.current_template_id(new.tenant_id, new.template_key,
                                                          new.language);
  if new.status = 'approved' then
    new.approved_at := coalesce(new.approved_at, now());
  end if;
  return new;
end
$$;

create trigger prepare_template_version before insert on public.message_templates
  for each row execute function private.prepare_template_version();

-- A version's text never changes; its status moves draft -> approved ->
-- retired (or draft -> retired) only. Approving retires the version it
-- replaces in the same scope, so exactly one stays approved.
create function private.guard_template_changes() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if (new.tenant_id, new.template_key, new.language, new.version, new.body)
     is distinct from (old.tenant_id, old.template_key, old.language, old.version, old.body)
     or new.previous_version_id is distinct from old.previous_version_id then
    raise exception 'a template version cannot be edited: draft a new version'
      using errcode = 'SA409';
  end if;
  if new.status = old.status then
    if new.approval_note is distinct from old.approval_note then
      raise exception 'approval_note is given when approving' using errcode = 'SA409';
    end if;
    return new;
  end if;
  if not ((old.status = 'draft' and new.status in ('approved', 'retired'))
          or (old.status = 'approved' and new.status = 'retired')) then
    raise exception 'a % template cannot become %', old.status, new.status
      using errcode = 'SA409';
  end if;
  if auth.role() = 'authenticated' and private.app_role() is distinct from 'admin' then
    raise exception 'only an administrator approves or retires texts' using errcode = 'SA403';
  end if;
  if new.status = 'approved' then
    new.approved_by := private.actor_id();
    new.approved_at := now();
    update public.message_templates m
       set status = 'retired'
     where coalesce(m.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)
           = coalesce(new.tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)
       and m.template_key = new.template_key and m.language = new.language
       and m.status = 'approved' and m.id <> new.id;
  else
    new.retired_at := now();
  end if;
  return new;
end
$$;

create trigger guard_template_changes before update on public.message_templates
  for each row execute function private.guard_template_changes();

-- The privacy notice anybody may read before signing up (it is public):
-- the current approved version for a municipality, filled in.
create function public.privacy_notice(p_municipality_code text, p_language text default 'en')
returns jsonb
language sql stable security definer
set search_path = ''
as $$
  select jsonb_build_object(
           'id', t.id, 'version', t.version, 'language', t.language,
           'municipality', m.name, 'municipality_code', m.code,
           'body', replace(replace(replace(t.body, '{municipality}', m.name),
                                   '{version}', t.version::text),
                           '{contact}', coalesce(m.contact_email, m.contact_phone,
                                                 'the municipal offices')))
    from public.municipalities m
    join public.message_templates t
      on t.id = private.current_template_id(m.id, 'privacy_notice', p_language)
   where m.code = upper(p_municipality_code) and m.is_active
$$;
comment on function public.privacy_notice(text, text) is
  'The current approved privacy notice of a municipality (POPIA s18), for anyone.';

-- =====================================================================
-- Which version each person saw and each message used
-- =====================================================================
alter table public.consent_records
  add column notice_template_id uuid references public.message_templates (id);
create index consent_records_notice_idx on public.consent_records (notice_template_id);
comment on column public.consent_records.notice_template_id is
  'The approved notice version (message_templates row) the person was shown.';

alter table public.whatsapp_inbound_messages add column template_ids uuid[] not null default '{}';
comment on column public.whatsapp_inbound_messages.template_ids is
  'The approved template versions the reply was made of.';
alter table public.notification_outbox
  add column template_id uuid references public.message_templates (id);
create index notification_outbox_template_idx on public.notification_outbox (template_id);
comment on column public.notification_outbox.template_id is
  'The approved template version the sent text was rendered from.';

-- A consent that cites a notice cites an approved notice of the person's
-- own municipality (or the platform's), in the language recorded.
create function private.check_consent_notice() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_notice public.message_templates;
begin
  if new.notice_template_id is null then
    return new;
  end if;
  select * into v_notice from public.message_templates m where m.id = new.notice_template_id;
  if v_notice.id is null or v_notice.status <> 'approved'
     or v_notice.template_key not in ('privacy_notice', 'consent_notice')
     or (v_notice.tenant_id is not null and v_notice.tenant_id <> new.tenant_id) then
    raise exception 'notice_version: not the current approved privacy notice'
      using errcode = 'SA409';
  end if;
  new.language := v_notice.language;
  new.privacy_policy_version := v_notice.version::text;
  return new;
end
$$;

create trigger check_consent_notice before insert on public.consent_records
  for each row execute function private.check_consent_notice();

-- Has the caller acknowledged the notice that is current for them now?
create function private.acknowledged_current_notice(p_user uuid, p_tenant uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.consent_records c
     where c.user_id = p_user and c.tenant_id = p_tenant and c.purpose = 'privacy_notice'
       and c.consented and c.withdrawn_at is null
       and c.notice_template_id = private.current_template_id(p_tenant, 'privacy_notice',
                                                              c.language))
$$;

-- Web (and PostgREST) reports wait until the current notice is acknowledged
-- (POPIA s18: notice before collection). WhatsApp records its own consent to
-- the notice it shows before it collects anything.
create function private.require_notice_acknowledged() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user = 'authenticated'
     and not private.acknowledged_current_notice(auth.uid(), new.tenant_id) then
    raise exception 'acknowledge the current privacy notice before filing a report'
      using errcode = 'SA428';
  end if;
  return new;
end
$$;

create trigger require_notice_acknowledged before insert on public.tickets
  for each row execute function private.require_notice_acknowledged();

-- =====================================================================
-- Personal values in the audit trail
-- The audit is append-only (and hash-chained), so it can never be edited to
-- forget someone. It therefore never holds a personal value in clear: each
-- is encrypted under a key of the person it belongs to. Erasure deletes the
-- key, and every audit entry about the person becomes unreadable while the
-- chain of entries stays exactly as written.
-- =====================================================================
create table private.personal_keys (
  id bigint generated always as identity primary key,
  user_id uuid unique,
  -- People known only by a phone number (a WhatsApp conversation before
  -- consent, a notification recipient): a digest, never the number.
  phone_digest text unique,
  key bytea not null default extensions.gen_random_bytes(32),
  created_at timestamptz not null default now(),
  check (user_id is not null or phone_digest is not null)
);
revoke all on private.personal_keys from public, anon, authenticated, service_role;

create function private.phone_digest(p_phone text) returns text
language sql immutable
set search_path = ''
as $$
  select encode(extensions.digest('salga-phone:' || p_phone, 'sha256'), 'hex')
$$;

-- The key of a person (created on first use).
create function private.personal_key(p_user uuid, p_phone text) returns private.personal_keys
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row private.personal_keys;
  v_digest text := case when p_user is null and p_phone is not null
                        then private.phone_digest(p_phone) end;
begin
  if p_user is null and v_digest is null then
    return null;
  end if;
  if p_user is not null then
    insert into private.personal_keys (user_id) values (p_user) on conflict (user_id) do nothing;
    select * into v_row from private.personal_keys k where k.user_id = p_user;
  else
    insert into private.personal_keys (phone_digest) values (v_digest)
      on conflict (phone_digest) do nothing;
    select * into v_row from private.personal_keys k where k.phone_digest = v_digest;
  end if;
  return v_row;
end
$$;

-- A personal value as the audit stores it: "pii:<key id>:<base64 iv+ciphertext>".
create function private.seal_personal(p_value jsonb, p_key private.personal_keys) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_iv bytea;
begin
  if p_value is null or p_value = 'null'::jsonb then
    return p_value;
  end if;
  if p_key.id is null then
    return '"[personal]"'::jsonb;
  end if;
  v_iv := extensions.gen_random_bytes(16);
  return to_jsonb('pii:' || p_key.id || ':' || encode(v_iv || extensions.encrypt_iv(
    convert_to(p_value::text, 'UTF8'), p_key.key, v_iv, 'aes-cbc/pad:pkcs'), 'base64'));
end
$$;

-- The clear value of a sealed entry, while the person's key exists (for an
-- information officer's investigation; service role only).
create function private.reveal_personal(p_sealed text) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(p_sealed, '^pii:([0-9]+):(.+)$');
  v_raw bytea;
  v_key bytea;
begin
  if v_parts is null then
    return null;
  end if;
  select k.key into v_key from private.personal_keys k where k.id = v_parts[1]::bigint;
  if v_key is null then
    return null;  -- erased
  end if;
  v_raw := decode(v_parts[2], 'base64');
  return convert_from(extensions.decrypt_iv(substr(v_raw, 17), v_key, substr(v_raw, 1, 16),
                                            'aes-cbc/pad:pkcs'), 'UTF8')::jsonb;
end
$$;

-- THE one place that decides what the audit stores of personal fields:
-- p_values (a row, or the changed columns of one) with each personal field
-- sealed under its person's key; p_row is the whole row, to find the person.
create function private.audit_personal_fields(p_table text, p_values jsonb, p_row jsonb)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_fields text[];
  v_user uuid;
  v_phone text;
  v_key private.personal_keys;
  v_field text;
  v_result jsonb := p_values;
begin
  if p_values is null then
    return null;
  end if;
  case p_table
    when 'profiles' then
      v_fields := array['full_name', 'phone', 'verified_address'];
      v_user := (p_row ->> 'id')::uuid;
    when 'tickets' then
      v_fields := array['description', 'address', 'location'];
      v_user := (p_row ->> 'reporter_id')::uuid;
    when 'consent_records' then
      v_fields := array['ip_address', 'user_agent'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'media_attachments' then
      v_fields := array['filename'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'data_subject_requests' then
      v_fields := array['details', 'outcome_reason'];
      v_user := (p_row ->> 'user_id')::uuid;
    when 'notification_outbox' then
      v_fields := array['recipient', 'variables'];
      v_phone := p_row ->> 'recipient';
    when 'whatsapp_conversations' then
      v_fields := array['phone', 'address'];
      v_user := (p_row ->> 'user_id')::uuid;
      v_phone := p_row ->> 'phone';
    when 'whatsapp_inbound_messages' then
      v_fields := array['reply'];
      select c.user_id, c.phone into v_user, v_phone from public.whatsapp_conversations c
       where c.id = (p_row ->> 'conversation_id')::uuid;
    else
      return p_values;
  end case;
  if not (p_values ?| v_fields) then
    return p_values;
  end if;
  v_key := private.personal_key(v_user, v_phone);
  foreach v_field in array v_fields loop
    -- (placeholders written by the trigger — changed, redacted, encrypted — stay as they are)
    if v_result ? v_field
       and v_result -> v_field not in ('"changed"', '"[redacted]"', '"[encrypted]"') then
      v_result := jsonb_set(v_result, array[v_field],
                            private.seal_personal(v_result -> v_field, v_key));
    end if;
  end loop;
  return v_result;
end
$$;

revoke all on function private.current_template_id(uuid, text, text),
  private.template_variables(text), private.prepare_template_version(),
  private.guard_template_changes(), private.check_consent_notice(),
  private.acknowledged_current_notice(uuid, uuid), private.require_notice_acknowledged(),
  private.phone_digest(text), private.personal_key(uuid, text),
  private.seal_personal(jsonb, private.personal_keys), private.reveal_personal(text),
  private.audit_personal_fields(text, jsonb, jsonb)
  from public, anon, authenticated, service_role;
grant execute on function private.current_template_id(uuid, text, text),
  private.acknowledged_current_notice(uuid, uuid) to authenticated, service_role;
grant execute on function private.reveal_personal(text) to service_role;
revoke all on function public.privacy_notice(text, text) from public;
grant execute on function public.privacy_notice(text, text) to anon, authenticated, service_role;

-- =====================================================================
-- The audit trigger: unchanged but for the calls to
-- private.audit_personal_fields() just before the entry is written.
-- =====================================================================
create or replace function private.audit_row() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  v_new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new_row, v_old_row);
  v_old jsonb;
  v_new jsonb;
  v_key text;
  v_record_id text;
  v_sensitive boolean;
  v_ticket_sensitive boolean;
  v_redact text[] := '{}';
  v_at timestamptz := now();
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  v_partition text := 'private.audit_log_' || to_char(now() at time zone 'UTC', 'YYYY_MM');
begin
  if tg_op = 'INSERT' then
    v_new := v_new_row;
  elsif tg_op = 'DELETE' then
    v_old := v_old_row;
  else
    select jsonb_object_agg(n.key, n.value), jsonb_object_agg(n.key, v_old_row -> n.key)
      into v_new, v_old
      from jsonb_each(v_new_row) n
     where n.value is distinct from v_old_row -> n.key
       and n.key not in ('updated_at', 'updated_by', 'last_inbound_at');
    if v_new is null then
      return null;  -- nothing but the timestamps changed
    end if;
  end if;

  v_sensitive := coalesce((v_new_row ->> 'is_sensitive')::boolean, false)
              or coalesce((v_old_row ->> 'is_sensitive')::boolean, false)
              or coalesce(v_row ->> 'bucket', '') = 'gbv-evidence'
              or tg_table_name = 'media_access_log'
              or (tg_table_name = 'whatsapp_conversations'
                  and 'gbv' in (coalesce(v_new_row ->> 'category', ''),
                                coalesce(v_old_row ->> 'category', '')));
  if not v_sensitive and v_row ->> 'ticket_id' is not null then
    select t.is_sensitive into v_ticket_sensitive
      from public.tickets t where t.id = (v_row ->> 'ticket_id')::uuid;
    v_sensitive := coalesce(v_ticket_sensitive, true);
  end if;

  -- Columns whose content never enters the log.
  if tg_table_name = 'whatsapp_conversations' and v_sensitive then
    v_redact := array['address', 'latitude', 'longitude'];
  elsif tg_table_name = 'whatsapp_inbound_messages' then
    v_redact := array['reply'];
  end if;
  for v_key in
    select k from jsonb_object_keys(coalesce(v_new, v_old)) k
     where k like 'encrypted\_%' or k = any (v_redact)
  loop
    if tg_op = 'UPDATE' then
      v_new := jsonb_set(v_new, array[v_key], '"changed"');
      v_old := jsonb_set(v_old, array[v_key], '"changed"');
    elsif tg_op = 'INSERT' and v_new ->> v_key is not null then
      v_new := jsonb_set(v_new, array[v_key], to_jsonb(case when v_key like 'encrypted\_%'
                                                           then '[encrypted]' else '[redacted]' end));
    elsif tg_op = 'DELETE' and v_old ->> v_key is not null then
      v_old := jsonb_set(v_old, array[v_key], to_jsonb(case when v_key like 'encrypted\_%'
                                                           then '[encrypted]' else '[redacted]' end));
    end if;
  end loop;

  if tg_nargs > 0 then
    select string_agg(v_row ->> a, '/' order by o) into v_record_id
      from unnest(tg_argv) with ordinality as t(a, o);
  else
    v_record_id := v_row ->> 'id';
  end if;

  -- Personal fields: sealed under the person's key (0011), never in clear.
  v_old := private.audit_personal_fields(tg_table_name, v_old, v_row);
  v_new := private.audit_personal_fields(tg_table_name, v_new, v_row);

  if to_regclass(v_partition) is null then
    perform private.ensure_audit_partition(v_at);
  end if;
  insert into public.audit_log (at, tenant_id, actor_id, actor_role, operation, table_name,
                                record_id, old_values, new_values, is_sensitive,
                                client_ip, user_agent, reason)
  values (v_at,
          case when tg_table_name = 'municipalities' then (v_row ->> 'id')::uuid
               else (v_row ->> 'tenant_id')::uuid end,
          -- = private.actor_id() and the token's role, read once here
          coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                   v_claims ->> 'sub')::uuid,
          coalesce(nullif(v_claims -> 'app_metadata' ->> 'role', ''), v_claims ->> 'role',
                   'system'),
          tg_op, tg_table_name, v_record_id, v_old, v_new, v_sensitive,
          nullif(current_setting('app.client_ip', true), ''),
          left(nullif(current_setting('app.user_agent', true), ''), 512),
          left(nullif(current_setting('salga.change_reason', true), ''), 500));
  return null;
end
$$;


-- =====================================================================
-- Data-subject requests (POPIA s23, s24, s11(3); PAIA s25): answered within
-- 30 days, one extension of up to 30 days with reasons, an outcome.
-- =====================================================================
create table public.data_subject_requests (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  -- NULL once the requester was erased: the request stays as the record
  -- that it was answered.
  user_id uuid references public.profiles (id) on delete set null,
  reference text not null unique default ('DSR-' || upper(substr(md5(gen_random_uuid()::text), 1, 10))),
  kind text not null check (kind in ('access', 'correction', 'deletion', 'objection')),
  details text check (details is null or length(details) <= 2000),
  channel text not null default 'web' check (channel in ('web', 'whatsapp', 'office')),
  status text not null default 'open' check (status in ('open', 'extended', 'completed')),
  received_at timestamptz not null default now(),
  due_at timestamptz not null default now() + interval '30 days',
  extended_at timestamptz,
  extension_reason text check (extension_reason is null or length(extension_reason) <= 1000),
  escalated_at timestamptz,
  requester_verified_at timestamptz,
  requester_verified_by uuid,
  completed_at timestamptz,
  completed_by uuid,
  outcome text check (outcome in ('provided', 'corrected', 'deleted', 'refused',
                                  'note_attached', 'restricted')),
  outcome_reason text check (outcome_reason is null or length(outcome_reason) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  check ((status = 'completed') = (outcome is not null))
);
comment on table public.data_subject_requests is
  'Requests to access, correct, delete or object, with the 30-day clock and the outcome.';
create index data_subject_requests_tenant_idx on public.data_subject_requests
  (tenant_id, status, due_at);
create index data_subject_requests_user_idx on public.data_subject_requests (user_id);

create trigger stamp_row before insert or update on public.data_subject_requests
  for each row execute function private.stamp_row();

-- The clock is the database's: received now, due in 30 days, whatever the
-- caller sends.
create function private.open_data_request() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.received_at := now();
  new.due_at := now() + interval '30 days';
  new.status := 'open';
  new.extended_at := null;
  new.extension_reason := null;
  new.escalated_at := null;
  new.completed_at := null;
  new.completed_by := null;
  new.outcome := null;
  new.outcome_reason := null;
  new.requester_verified_at := null;
  new.requester_verified_by := null;
  if current_user = 'authenticated' then
    new.channel := 'web';
  end if;
  return new;
end
$$;

create trigger open_data_request before insert on public.data_subject_requests
  for each row execute function private.open_data_request();

-- Extension: once, with reasons, by at most 30 days. Completion: once, with
-- an outcome; a refusal says why. Nothing else about a request changes.
create function private.guard_data_request_changes() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (new.tenant_id, new.kind, new.details, new.channel, new.received_at, new.reference)
     is distinct from (old.tenant_id, old.kind, old.details, old.channel, old.received_at,
                       old.reference)
     and current_user = 'authenticated' then
    raise exception 'a request cannot be rewritten' using errcode = 'SA409';
  end if;
  if old.status = 'completed' and current_user = 'authenticated' then
    raise exception 'this request is already completed' using errcode = 'SA409';
  end if;
  if new.status = 'extended' and old.status <> 'extended' then
    if old.status <> 'open' then
      raise exception 'a request is extended only once' using errcode = 'SA409';
    end if;
    if length(btrim(coalesce(new.extension_reason, ''))) < 5 then
      raise exception 'reason: an extension needs its reasons' using errcode = 'SA422';
    end if;
    new.extended_at := now();
    new.due_at := old.due_at + interval '30 days';
  elsif current_user = 'authenticated' then
    new.due_at := old.due_at;
    new.extension_reason := old.extension_reason;
    new.extended_at := old.extended_at;
  end if;
  if new.status = 'completed' and old.status <> 'completed' then
    if new.outcome = 'refused' and length(btrim(coalesce(new.outcome_reason, ''))) < 5 then
      raise exception 'reason: a refusal needs its reasons' using errcode = 'SA422';
    end if;
    new.completed_at := now();
    new.completed_by := private.actor_id();
  end if;
  if new.requester_verified_at is distinct from old.requester_verified_at then
    new.requester_verified_at := case when new.requester_verified_at is not null then now() end;
    new.requester_verified_by := private.actor_id();
  end if;
  return new;
end
$$;

create trigger guard_data_request_changes before update on public.data_subject_requests
  for each row execute function private.guard_data_request_changes();

-- Overdue requests are flagged for the information officer (pg_cron, daily).
create function private.escalate_overdue_data_requests(p_now timestamptz default now())
returns integer
language sql security definer
set search_path = ''
as $$
  with late as (
    update public.data_subject_requests r set escalated_at = p_now
     where r.status <> 'completed' and r.due_at < p_now and r.escalated_at is null
    returning 1)
  select count(*)::integer from late
$$;

-- =====================================================================
-- Registers an information officer keeps
-- =====================================================================

-- The Information Regulator's security-compromise form (POPIA s22).
create table public.breach_register (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  discovered_at timestamptz not null,
  occurred_from timestamptz,
  occurred_to timestamptz,
  status text not null default 'suspected' check (status in ('suspected', 'confirmed', 'closed')),
  breach_type text not null check (breach_type in ('confidentiality', 'integrity', 'availability')),
  description text not null check (length(btrim(description)) between 5 and 4000),
  data_categories text[] not null default '{}',
  people_affected integer check (people_affected is null or people_affected >= 0),
  regulator_notified_at timestamptz,
  subjects_notified_at timestamptz,
  notification_method text check (notification_method is null or length(notification_method) <= 500),
  consequences text check (consequences is null or length(consequences) <= 4000),
  remedies text check (remedies is null or length(remedies) <= 4000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  check (occurred_to is null or occurred_from is null or occurred_to >= occurred_from)
);
comment on table public.breach_register is
  'Security compromises (suspected and confirmed), as the Information Regulator asks for them.';
create index breach_register_tenant_idx on public.breach_register (tenant_id, discovered_at desc);

-- Operators (s20, s21) and transfers abroad (s72). tenant_id NULL: the
-- platform's own operators, which act for every municipality.
create table public.operators_register (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.municipalities (id),
  name text not null check (length(btrim(name)) between 2 and 200),
  service text not null check (length(btrim(service)) between 2 and 500),
  country text not null check (country ~ '^[A-Z]{2}$'),
  cross_border boolean not null default false,
  safeguard text check (safeguard is null or length(safeguard) <= 1000),
  data_categories text[] not null default '{}',
  agreement_signed_on date,
  review_due_on date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  check (not cross_border or safeguard is not null)
);
comment on table public.operators_register is
  'Who processes personal information for the municipality, where, and on what safeguard (s72).';
create index operators_register_tenant_idx on public.operators_register (tenant_id);

create trigger stamp_row before insert or update on public.breach_register
  for each row execute function private.stamp_row();
create trigger stamp_row before insert or update on public.operators_register
  for each row execute function private.stamp_row();

insert into public.operators_register (name, service, country, cross_border, safeguard,
                                       data_categories) values
  ('Twilio Inc.', 'WhatsApp message delivery', 'US', true,
   'Operator agreement with POPIA-equivalent protection (s72(1)(a)); data processing addendum',
   '{phone_number,message_text}'),
  ('Meta Platforms (WhatsApp)', 'WhatsApp Business messaging', 'IE', true,
   'WhatsApp Business terms and data processing terms (s72(1)(a))',
   '{phone_number,message_text}'),
  ('Supabase Inc.', 'Database, storage and realtime hosting', 'US', true,
   'Operator agreement and data processing addendum (s72(1)(a))',
   '{profile,reports,locations,photos,audit}');

-- =====================================================================
-- Retention (POPIA s14)
-- =====================================================================
alter table public.tickets
  add column legal_hold boolean not null default false,
  add column deidentified_at timestamptz;
comment on column public.tickets.legal_hold is
  'Kept as it is, whatever the retention schedule says, until the hold is lifted.';
alter table public.tickets drop constraint some_description;
alter table public.tickets add constraint some_description
  check (description is not null or encrypted_description is not null
         or deidentified_at is not null);
alter table public.profiles add column restricted_at timestamptz;
comment on column public.profiles.restricted_at is
  'POPIA s14(6) restriction: stored but not processed (no messages, no retention deletion).';

create table public.retention_policies (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references public.municipalities (id) on delete cascade,
  kind text not null check (kind in ('profiles', 'tickets', 'media', 'conversations',
                                     'protected_reports', 'consents', 'data_requests', 'audit')),
  retain_days integer not null check (retain_days between 1 and 36500),
  action text not null check (action in ('delete', 'deidentify')),
  legal_hold boolean not null default false,
  legal_hold_reason text check (legal_hold_reason is null or length(legal_hold_reason) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  check (not legal_hold or legal_hold_reason is not null)
);
comment on table public.retention_policies is
  'How long each kind of personal information is kept (NULL tenant: the platform default).';
create unique index retention_policies_scope_key on public.retention_policies
  (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), kind);
create index retention_policies_tenant_idx on public.retention_policies (tenant_id);

create trigger stamp_row before insert or update on public.retention_policies
  for each row execute function private.stamp_row();

-- Platform defaults, counted from the last thing that happened to the data.
insert into public.retention_policies (kind, retain_days, action) values
  ('tickets', 1825, 'deidentify'),           -- 5 years after closure
  ('protected_reports', 2555, 'deidentify'), -- 7 years after closure
  ('media', 730, 'delete'),                  -- 2 years after the report closed
  ('conversations', 90, 'delete'),           -- 90 days after the last message
  ('consents', 1825, 'delete'),              -- 5 years after withdrawal
  ('data_requests', 1825, 'delete'),         -- 5 years after completion
  ('profiles', 1095, 'delete'),              -- 3 years after an account was closed
  ('audit', 2555, 'delete');                 -- 7 years (whole monthly partitions)

-- The policy in force for a municipality and kind.
create function private.retention_for(p_tenant uuid, p_kind text)
returns public.retention_policies
language sql stable security definer
set search_path = ''
as $$
  select r.* from public.retention_policies r
   where r.kind = p_kind and (r.tenant_id = p_tenant or r.tenant_id is null)
   order by r.tenant_id is null
   limit 1
$$;

-- Files to remove through the Storage API (which removes the bytes too;
-- SQL can only drop the row). Drained by `salga worker` and
-- `salga retention run`.
create table private.storage_removals (
  id bigint generated always as identity primary key,
  bucket text not null,
  path text not null,
  reason text not null,
  queued_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text,
  unique (bucket, path)
);
revoke all on private.storage_removals from public, anon, authenticated, service_role;

create function private.queue_storage_removal(p_bucket text, p_path text, p_reason text)
returns void
language sql security definer
set search_path = ''
as $$
  insert into private.storage_removals (bucket, path, reason) values (p_bucket, p_path, p_reason)
  on conflict (bucket, path) do nothing
$$;

create function private.storage_removals_due(p_limit integer default 100)
returns table (id bigint, bucket text, path text)
language sql security definer
set search_path = ''
as $$
  select s.id, s.bucket, s.path from private.storage_removals s
   order by s.id limit p_limit for update skip locked
$$;

create function private.storage_removal_done(p_id bigint, p_error text default null)
returns void
language plpgsql security definer
set search_path = ''
as $$
begin
  if p_error is null then
    delete from private.storage_removals where id = p_id;
  else
    update private.storage_removals set attempts = attempts + 1, last_error = left(p_error, 500)
     where id = p_id;
  end if;
end
$$;

-- Queue every stored file of some tickets and drop their attachment rows.
create function private.forget_ticket_media(p_ticket_ids uuid[], p_reason text) returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into private.storage_removals (bucket, path, reason)
  select o.bucket_id, o.name, p_reason from storage.objects o
   join public.tickets t on t.id = any (p_ticket_ids)
   where o.bucket_id in ('evidence', 'gbv-evidence')
     and o.name like t.tenant_id::text || '/' || t.id::text || '/%'
  union
  select m.bucket, m.path, p_reason from public.media_attachments m
   where m.ticket_id = any (p_ticket_ids)
  on conflict (bucket, path) do nothing;
  delete from public.media_attachments m where m.ticket_id = any (p_ticket_ids);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- What remains of a report after de-identification: municipality, category,
-- status, team, dates and a location rounded to about a kilometre.
create function private.deidentify_tickets(p_ticket_ids uuid[]) returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.tickets t
     set reporter_id = null,
         description = case when t.is_sensitive then null else '[removed]' end,
         encrypted_description = null,
         address = null,
         location = case when t.location is null then null else extensions.st_snaptogrid(
                      t.location::extensions.geometry, 0.01)::extensions.geography end,
         deidentified_at = now()
   where t.id = any (p_ticket_ids) and t.deidentified_at is null;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- =====================================================================
-- Erasure (POPIA s24): after it, no name, phone number, email or address of
-- the person remains anywhere — their profile and sign-in are deleted, their
-- conversations, messages and consents go, their reports stay only as
-- de-identified statistics, their files are queued for removal from
-- Storage, and their audit key is destroyed, so what the audit sealed for
-- them can never be read again. Staff accounts are deactivated, not erased.
-- =====================================================================
create function private.erase_person(p_user uuid) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_profile public.profiles;
  v_phones text[];
  v_tickets uuid[];
  v_convs uuid[];
  v_files integer;
  v_deidentified integer;
begin
  select * into v_profile from public.profiles p where p.id = p_user;
  if v_profile.id is null then
    raise exception 'person not found' using errcode = 'SA404';
  end if;
  if v_profile.role <> 'citizen' then
    raise exception 'staff accounts are deactivated, not erased' using errcode = 'SA409';
  end if;
  select coalesce(array_agg(distinct x.phone), '{}') into v_phones from (
    select v_profile.phone
    union select case when u.phone like '+%' then u.phone else '+' || u.phone end
            from auth.users u where u.id = p_user and coalesce(u.phone, '') <> ''
    union select c.phone from public.whatsapp_conversations c where c.user_id = p_user
  ) as x(phone) where x.phone is not null;
  v_tickets := array(select t.id from public.tickets t where t.reporter_id = p_user);
  v_convs := array(select c.id from public.whatsapp_conversations c
                    where c.user_id = p_user or c.phone = any (v_phones));

  -- Files: their reports' photos and everything in their own folders.
  v_files := private.forget_ticket_media(v_tickets, 'erasure');
  insert into private.storage_removals (bucket, path, reason)
  select o.bucket_id, o.name, 'erasure' from storage.objects o
   where o.bucket_id in ('evidence', 'documents')
     and o.name like v_profile.tenant_id::text || '/' || p_user::text || '/%'
  union
  select m.bucket, m.path, 'erasure' from public.media_attachments m where m.user_id = p_user
  on conflict (bucket, path) do nothing;
  update public.profiles set verification_document_id = null where id = p_user;
  delete from public.media_attachments m where m.user_id = p_user;

  v_deidentified := private.deidentify_tickets(v_tickets);
  update public.tickets t set reporter_id = null where t.reporter_id = p_user;

  delete from public.notification_outbox o where o.recipient = any (v_phones);
  delete from public.whatsapp_inbound_messages i where i.conversation_id = any (v_convs);
  delete from public.whatsapp_conversations c where c.id = any (v_convs);
  delete from public.consent_records c where c.user_id = p_user;
  update public.data_subject_requests r set details = null, outcome_reason = null, user_id = null
   where r.user_id = p_user;

  delete from auth.users u where u.id = p_user;  -- the profile goes with it (cascade)
  delete from public.profiles p where p.id = p_user;

  -- Last: the keys that sealed their values in the audit trail.
  delete from private.personal_keys k
   where k.user_id = p_user
      or k.phone_digest in (select private.phone_digest(x) from unnest(v_phones) x);
  return jsonb_build_object('reports_deidentified', coalesce(array_length(v_tickets, 1), 0),
                            'conversations_deleted', coalesce(array_length(v_convs, 1), 0),
                            'files_queued', (select count(*) from private.storage_removals
                                              where reason = 'erasure'));
end
$$;

-- The API's door: the municipality's admins (or the service role).
create function public.erase_person(p_user uuid) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
begin
  if auth.role() = 'authenticated' and (
       private.app_role() is distinct from 'admin'
       or not exists (select 1 from public.profiles p
                       where p.id = p_user and p.tenant_id = private.tenant_id())) then
    raise exception 'person not found' using errcode = 'SA404';
  end if;
  return private.erase_person(p_user);
end
$$;

-- =====================================================================
-- The access bundle (POPIA s23): everything held about a person, and every
-- person and role that touched it. Other people's data and the content of a
-- protected (GBV) report are withheld. For the person themself, or an admin
-- of their municipality answering their request.
-- =====================================================================
create function public.data_subject_bundle(p_user uuid default null) returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_user uuid := coalesce(p_user, auth.uid());
  v_profile public.profiles;
  v_phones text[];
  v_tickets uuid[];
  v_records text[];
begin
  select * into v_profile from public.profiles p where p.id = v_user;
  if v_profile.id is null
     or (auth.role() = 'authenticated' and v_user <> auth.uid()
         and (private.app_role() is distinct from 'admin'
              or v_profile.tenant_id <> private.tenant_id())) then
    raise exception 'person not found' using errcode = 'SA404';
  end if;
  select coalesce(array_agg(distinct x.phone), '{}') into v_phones from (
    select v_profile.phone
    union select c.phone from public.whatsapp_conversations c where c.user_id = v_user
  ) as x(phone) where x.phone is not null;
  v_tickets := array(select t.id from public.tickets t where t.reporter_id = v_user);
  v_records := array(
    select v_user::text
    union all select unnest(v_tickets)::text
    union all select c.id::text from public.consent_records c where c.user_id = v_user
    union all select m.id::text from public.media_attachments m
               where m.user_id = v_user or m.ticket_id = any (v_tickets)
    union all select r.id::text from public.data_subject_requests r where r.user_id = v_user);

  return jsonb_build_object(
    'generated_at', now(),
    'legal_basis', 'POPIA s23; PAIA s25 (no fee for one''s own records)',
    'profile', (
      select jsonb_build_object('id', p.id, 'full_name', p.full_name, 'phone', p.phone,
               'email', u.email, 'role', p.role, 'municipality', m.name,
               'preferred_language', p.preferred_language, 'created_at', p.created_at,
               'verification_status', p.verification_status,
               'verified_address', p.verified_address, 'restricted_at', p.restricted_at)
        from public.profiles p join public.municipalities m on m.id = p.tenant_id
        left join auth.users u on u.id = p.id where p.id = v_user),
    'reports', coalesce((
      select jsonb_agg(case when t.is_sensitive then jsonb_build_object(
                 'tracking_number', t.tracking_number, 'status', t.status,
                 'created_at', t.created_at, 'private', true,
                 'content', 'withheld: a private report is shown only after the municipality '
                            'has verified who is asking')
               else jsonb_build_object(
                 'tracking_number', t.tracking_number, 'category', t.category,
                 'status', t.status, 'description', t.description, 'address', t.address,
                 'latitude', extensions.st_y(t.location::extensions.geometry),
                 'longitude', extensions.st_x(t.location::extensions.geometry),
                 'language', t.language, 'source', t.source, 'created_at', t.created_at,
                 'resolved_at', t.resolved_at, 'closed_at', t.closed_at,
                 'history', coalesce((
                   select jsonb_agg(jsonb_build_object('at', a.at, 'status',
                            coalesce(a.new_values ->> 'status', 'open')) order by a.at, a.id)
                     from public.audit_log a
                    where a.table_name = 'tickets' and a.record_id = t.id::text
                      and (a.operation = 'INSERT' or a.new_values ? 'status')), '[]'))
               end order by t.created_at)
        from public.tickets t where t.id = any (v_tickets)), '[]'),
    'media', coalesce((
      select jsonb_agg(jsonb_build_object('bucket', m.bucket, 'filename', m.filename,
               'content_type', m.content_type, 'size_bytes', m.size_bytes,
               'purpose', m.purpose, 'created_at', m.created_at) order by m.created_at)
        from public.media_attachments m
       where (m.user_id = v_user or m.ticket_id = any (v_tickets))
         and m.bucket <> 'gbv-evidence'), '[]'),
    'messages_sent', coalesce((
      select jsonb_agg(jsonb_build_object('at', o.created_at, 'message', o.template_key,
               'language', o.language, 'status', o.status, 'sent_at', o.sent_at,
               'template_version', mt.version) order by o.created_at)
        from public.notification_outbox o
        left join public.message_templates mt on mt.id = o.template_id
       where o.recipient = any (v_phones)), '[]'),
    'whatsapp_messages', coalesce((
      select jsonb_agg(jsonb_build_object('received_at', i.received_at, 'our_reply', i.reply)
               order by i.received_at)
        from public.whatsapp_inbound_messages i
        join public.whatsapp_conversations c on c.id = i.conversation_id
       where c.user_id = v_user or c.phone = any (v_phones)), '[]'),
    'consents', coalesce((
      select jsonb_agg(jsonb_build_object('purpose', c.purpose,
               'description', c.purpose_description, 'consented', c.consented,
               'language', c.language, 'consent_version', c.consent_version,
               'notice', mt.template_key, 'notice_version', mt.version,
               'given_at', c.created_at, 'withdrawn_at', c.withdrawn_at) order by c.created_at)
        from public.consent_records c
        left join public.message_templates mt on mt.id = c.notice_template_id
       where c.user_id = v_user), '[]'),
    'data_requests', coalesce((
      select jsonb_agg(jsonb_build_object('reference', r.reference, 'kind', r.kind,
               'status', r.status, 'received_at', r.received_at, 'due_at', r.due_at,
               'outcome', r.outcome) order by r.received_at)
        from public.data_subject_requests r where r.user_id = v_user), '[]'),
    'accessed_by', coalesce((
      select jsonb_agg(jsonb_build_object('person', coalesce(who.full_name,
                 case when x.actor_id is null then 'the platform (automatic)' else 'a staff member' end),
               'role', x.actor_role, 'what', x.what, 'first_at', x.first_at,
               'last_at', x.last_at, 'times', x.times) order by x.first_at)
        from (
          select e.actor_id, e.actor_role, array_agg(distinct e.what order by e.what) as what,
                 min(e.at) as first_at, max(e.at) as last_at, count(*) as times
            from (
              select a.actor_id, a.actor_role, a.table_name || ' ' || lower(a.operation) as what,
                     a.at
                from public.audit_log a
               where a.record_id = any (v_records)
                 and a.table_name in ('profiles', 'tickets', 'consent_records',
                                      'media_attachments', 'data_subject_requests')
              union all
              select l.user_id, p.role, 'media viewed', l.accessed_at
                from public.media_access_log l
                join public.media_attachments m on m.id = l.media_id
                left join public.profiles p on p.id = l.user_id
               where m.ticket_id = any (v_tickets) or m.user_id = v_user
              union all
              select s.actor_id, s.actor_role, 'private report read', s.read_at
                from private.sensitive_reads s where s.ticket_id = any (v_tickets)
            ) e
           where e.actor_id is distinct from v_user
           group by e.actor_id, e.actor_role) x
        left join public.profiles who on who.id = x.actor_id), '[]'),
    'withheld', jsonb_build_array(
      'other people''s personal information',
      'SAPS investigation notes and the content of private reports until verified'));
end
$$;

-- The person's own private reports, as ciphertext for the app to open,
-- only once an admin has verified who is asking (an access request with
-- requester_verified_at). Nobody else's, and nothing before that.
create function public.verified_private_reports()
returns table (tracking_number text, encrypted_description text)
language sql stable security definer
set search_path = ''
as $$
  select t.tracking_number, t.encrypted_description
    from public.tickets t
   where t.reporter_id = auth.uid() and t.is_sensitive
     and t.encrypted_description is not null
     and exists (select 1 from public.data_subject_requests r
                  where r.user_id = auth.uid() and r.kind = 'access'
                    and r.requester_verified_at is not null)
$$;
revoke all on function public.verified_private_reports() from public, anon;
grant execute on function public.verified_private_reports() to authenticated;

-- =====================================================================
-- Retention run: what the schedule says has expired, de-identified or
-- deleted per municipality; p_dry_run only reports. Legal holds (on a
-- policy or a ticket) and restricted people are left alone.
-- =====================================================================
create function private.apply_retention(p_dry_run boolean default false,
                                        p_now timestamptz default now())
returns table (kind text, tenant_id uuid, action text, items integer, held boolean)
language plpgsql security definer
set search_path = ''
as $$
declare
  v_m record;
  v_r public.retention_policies;
  v_ids uuid[];
  v_kind text;
  v_part record;
begin
  for v_m in select m.id from public.municipalities m order by m.code loop
    foreach v_kind in array array['tickets', 'protected_reports', 'media', 'conversations',
                                  'consents', 'data_requests', 'profiles'] loop
      v_r := private.retention_for(v_m.id, v_kind);
      continue when v_r.id is null;
      v_ids := case v_kind
        when 'tickets' then array(
          select t.id from public.tickets t
            left join public.profiles p on p.id = t.reporter_id
           where t.tenant_id = v_m.id and not t.is_sensitive and t.status = 'closed'
             and t.closed_at < p_now - make_interval(days => v_r.retain_days)
             and not t.legal_hold and t.deidentified_at is null and p.restricted_at is null)
        when 'protected_reports' then array(
          select t.id from public.tickets t
            left join public.profiles p on p.id = t.reporter_id
           where t.tenant_id = v_m.id and t.is_sensitive and t.status = 'closed'
             and t.closed_at < p_now - make_interval(days => v_r.retain_days)
             and not t.legal_hold and t.deidentified_at is null and p.restricted_at is null)
        when 'media' then array(
          select distinct t.id from public.tickets t
            join public.media_attachments a on a.ticket_id = t.id
            left join public.profiles p on p.id = t.reporter_id
           where t.tenant_id = v_m.id and t.status = 'closed'
             and t.closed_at < p_now - make_interval(days => v_r.retain_days)
             and not t.legal_hold and p.restricted_at is null)
        when 'conversations' then array(
          select c.id from public.whatsapp_conversations c
            left join public.profiles p on p.id = c.user_id
           where c.tenant_id = v_m.id and p.restricted_at is null
             and c.last_inbound_at < p_now - make_interval(days => v_r.retain_days))
        when 'consents' then array(
          select c.id from public.consent_records c
           where c.tenant_id = v_m.id
             and c.withdrawn_at < p_now - make_interval(days => v_r.retain_days))
        when 'data_requests' then array(
          select r.id from public.data_subject_requests r
           where r.tenant_id = v_m.id and r.status = 'completed'
             and r.completed_at < p_now - make_interval(days => v_r.retain_days))
        when 'profiles' then array(
          select p.id from public.profiles p
           where p.tenant_id = v_m.id and p.role = 'citizen' and p.restricted_at is null
             and p.deleted_at < p_now - make_interval(days => v_r.retain_days))
      end;
      continue when cardinality(v_ids) = 0;
      kind := v_kind;
      tenant_id := v_m.id;
      action := case when v_kind = 'media' then 'delete files' else v_r.action end;
      items := cardinality(v_ids);
      held := v_r.legal_hold;
      return next;
      continue when p_dry_run or v_r.legal_hold;
      case v_kind
        when 'tickets', 'protected_reports' then
          perform private.forget_ticket_media(v_ids, 'retention');
          perform private.deidentify_tickets(v_ids);
        when 'media' then
          perform private.forget_ticket_media(v_ids, 'retention');
        when 'conversations' then
          delete from public.whatsapp_inbound_messages i where i.conversation_id = any (v_ids);
          delete from public.whatsapp_conversations c where c.id = any (v_ids);
        when 'consents' then
          delete from public.consent_records c where c.id = any (v_ids);
        when 'data_requests' then
          delete from public.data_subject_requests r where r.id = any (v_ids);
        when 'profiles' then
          perform private.erase_person(x) from unnest(v_ids) x;
      end case;
    end loop;
  end loop;

  -- The audit trail is dropped a whole month (partition) at a time, never
  -- edited; the platform policy decides.
  v_r := private.retention_for(null, 'audit');
  for v_part in
    select c.relname from pg_catalog.pg_inherits i
      join pg_catalog.pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'public.audit_log'::regclass
       and to_timestamp(substr(c.relname, 11), 'YYYY_MM') + interval '1 month'
           < p_now - make_interval(days => v_r.retain_days)
  loop
    kind := 'audit';
    tenant_id := null;
    action := 'drop partition ' || v_part.relname;
    items := 1;
    held := v_r.legal_hold;
    return next;
    if not p_dry_run and not v_r.legal_hold then
      execute format('drop table private.%I', v_part.relname);
    end if;
  end loop;
end
$$;

-- Objections that end in restriction mark the person restricted (s14(6)).
create function private.apply_data_request_outcome() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.outcome = 'restricted' and old.outcome is distinct from 'restricted'
     and new.user_id is not null then
    update public.profiles set restricted_at = now() where id = new.user_id;
  end if;
  return null;
end
$$;

create trigger apply_data_request_outcome after update of outcome on public.data_subject_requests
  for each row execute function private.apply_data_request_outcome();

-- Restricted people are sent nothing.
create function private.drop_restricted_notifications() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.profiles p
              where p.phone = new.recipient and p.restricted_at is not null) then
    return null;
  end if;
  return new;
end
$$;

create trigger never_to_restricted before insert on public.notification_outbox
  for each row execute function private.drop_restricted_notifications();

-- =====================================================================
-- Privileges and policies
-- =====================================================================
revoke all on public.message_template_keys, public.message_templates,
  public.data_subject_requests, public.breach_register, public.operators_register,
  public.retention_policies from anon, authenticated;
grant all on public.message_template_keys, public.message_templates,
  public.data_subject_requests, public.breach_register, public.operators_register,
  public.retention_policies to service_role;

grant select on public.message_template_keys to authenticated;
grant select on public.message_templates to authenticated;
grant insert (tenant_id, template_key, language, body, note) on public.message_templates
  to authenticated;
grant update (status, approval_note) on public.message_templates to authenticated;
grant select on public.data_subject_requests to authenticated;
grant insert (tenant_id, user_id, kind, details, channel) on public.data_subject_requests
  to authenticated;
grant update (status, extension_reason, outcome, outcome_reason, requester_verified_at)
  on public.data_subject_requests to authenticated;
grant select, insert, update on public.breach_register to authenticated;
grant select, insert, update on public.operators_register to authenticated;
grant select on public.retention_policies to authenticated;
grant insert (tenant_id, kind, retain_days, action, legal_hold, legal_hold_reason),
  update (retain_days, action, legal_hold, legal_hold_reason)
  on public.retention_policies to authenticated;

alter table public.message_template_keys enable row level security;
alter table public.message_template_keys force row level security;
alter table public.message_templates enable row level security;
alter table public.message_templates force row level security;
alter table public.data_subject_requests enable row level security;
alter table public.data_subject_requests force row level security;
alter table public.breach_register enable row level security;
alter table public.breach_register force row level security;
alter table public.operators_register enable row level security;
alter table public.operators_register force row level security;
alter table public.retention_policies enable row level security;
alter table public.retention_policies force row level security;

create policy "Staff read the message keys"
  on public.message_template_keys for select to authenticated
  using ((select private.is_staff()));

create policy "Staff read their municipality's texts and the platform's"
  on public.message_templates for select to authenticated
  using ((tenant_id = (select private.tenant_id()) or tenant_id is null)
         and (select private.is_staff()));
create policy "Managers and admins draft their municipality's texts"
  on public.message_templates for insert to authenticated
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) in ('manager', 'admin'));
create policy "Admins approve and retire their municipality's texts"
  on public.message_templates for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

create policy "People read their own data requests"
  on public.data_subject_requests for select to authenticated
  using (user_id = (select auth.uid()));
create policy "Admins read their municipality's data requests"
  on public.data_subject_requests for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "People ask about their own data in their municipality"
  on public.data_subject_requests for insert to authenticated
  with check (user_id = (select auth.uid()) and tenant_id = (select private.tenant_id()));
create policy "Admins answer their municipality's data requests"
  on public.data_subject_requests for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

create policy "Admins read their municipality's breach register"
  on public.breach_register for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Admins record breaches of their municipality"
  on public.breach_register for insert to authenticated
  with check (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Admins update their municipality's breach records"
  on public.breach_register for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

create policy "Admins read their municipality's operators and the platform's"
  on public.operators_register for select to authenticated
  using ((tenant_id = (select private.tenant_id()) or tenant_id is null)
         and (select private.app_role()) = 'admin');
create policy "Admins record their municipality's operators"
  on public.operators_register for insert to authenticated
  with check (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Admins update their municipality's operators"
  on public.operators_register for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

create policy "Admins read their municipality's retention schedule and the defaults"
  on public.retention_policies for select to authenticated
  using ((tenant_id = (select private.tenant_id()) or tenant_id is null)
         and (select private.app_role()) = 'admin');
create policy "Admins set their municipality's retention schedule"
  on public.retention_policies for insert to authenticated
  with check (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin');
create policy "Admins change their municipality's retention schedule"
  on public.retention_policies for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.app_role()) = 'admin')
  with check (tenant_id = (select private.tenant_id()));

-- Functions: security definer ones are not for the Data API's callers
-- unless named here.
revoke all on function private.open_data_request(), private.guard_data_request_changes(),
  private.escalate_overdue_data_requests(timestamptz), private.retention_for(uuid, text),
  private.queue_storage_removal(text, text, text), private.storage_removals_due(integer),
  private.storage_removal_done(bigint, text), private.forget_ticket_media(uuid[], text),
  private.deidentify_tickets(uuid[]), private.erase_person(uuid),
  private.apply_retention(boolean, timestamptz), private.apply_data_request_outcome(),
  private.drop_restricted_notifications()
  from public, anon, authenticated, service_role;
grant execute on function private.storage_removals_due(integer),
  private.storage_removal_done(bigint, text), private.apply_retention(boolean, timestamptz),
  private.escalate_overdue_data_requests(timestamptz) to service_role;
revoke all on function public.erase_person(uuid), public.data_subject_bundle(uuid) from public, anon;
grant execute on function public.erase_person(uuid), public.data_subject_bundle(uuid)
  to authenticated, service_role;

-- =====================================================================
-- Audit: every new table; the registers and requests are read by admins
-- through the audit trail's admin policy.
-- =====================================================================
create trigger audit_row after insert or update or delete on public.message_template_keys
  for each row execute function private.audit_row('template_key');
create trigger audit_row after insert or update or delete on public.message_templates
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.data_subject_requests
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.breach_register
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.operators_register
  for each row execute function private.audit_row();
create trigger audit_row after insert or update or delete on public.retention_policies
  for each row execute function private.audit_row();

-- =====================================================================
-- Schedule (where pg_cron runs): retention nightly, overdue requests daily.
-- =====================================================================
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('salga-retention', '30 2 * * *',
                          'select count(*) from private.apply_retention(false)');
    perform cron.schedule('salga-data-requests-overdue', '0 6 * * *',
                          'select private.escalate_overdue_data_requests()');
  end if;
end
$$;

-- =====================================================================
-- The library's first texts: what the platform said until now, in
-- English, isiZulu and Afrikaans, approved as the platform defaults.
-- =====================================================================
insert into public.message_template_keys (template_key, kind, variables) values
  ('ask_description', 'conversation', array[]::text[]),
  ('ask_description_sensitive', 'conversation', array[]::text[]),
  ('ask_location', 'conversation', array[]::text[]),
  ('ask_location_sensitive', 'conversation', array[]::text[]),
  ('ask_photos', 'conversation', array['max']::text[]),
  ('cat_electricity', 'label', array[]::text[]),
  ('cat_gbv', 'label', array[]::text[]),
  ('cat_other', 'label', array[]::text[]),
  ('cat_roads', 'label', array[]::text[]),
  ('cat_sanitation', 'label', array[]::text[]),
  ('cat_waste', 'label', array[]::text[]),
  ('cat_water', 'label', array[]::text[]),
  ('choose_language', 'conversation', array[]::text[]),
  ('confirm', 'conversation', array['category', 'description', 'photos', 'place']::text[]),
  ('confirm_sensitive', 'conversation', array['photos']::text[]),
  ('consent_declined', 'conversation', array[]::text[]),
  ('consent_notice', 'conversation', array['municipality', 'version']::text[]),
  ('data_request_access', 'conversation', array['due_date', 'reference']::text[]),
  ('data_request_deletion', 'conversation', array['due_date', 'reference']::text[]),
  ('data_request_needs_consent', 'conversation', array[]::text[]),
  ('description_too_short', 'conversation', array[]::text[]),
  ('emergency', 'label', array[]::text[]),
  ('expired', 'conversation', array[]::text[]),
  ('filed', 'conversation', array['tracking_number']::text[]),
  ('filed_sensitive', 'conversation', array['emergency', 'tracking_number']::text[]),
  ('filing_failed', 'conversation', array[]::text[]),
  ('duplicate_offer', 'conversation', array['tracking_number']::text[]),
  ('following', 'conversation', array['tracking_number']::text[]),
  ('help', 'conversation', array['emergency', 'municipality']::text[]),
  ('location_pin', 'conversation', array[]::text[]),
  ('location_too_short', 'conversation', array[]::text[]),
  ('menu', 'conversation', array['electricity', 'gbv', 'other', 'roads', 'sanitation', 'waste', 'water']::text[]),
  ('not_understood', 'conversation', array[]::text[]),
  ('photo_received', 'conversation', array['count']::text[]),
  ('privacy_notice', 'notice', array['contact', 'municipality', 'version']::text[]),
  ('restarted', 'conversation', array[]::text[]),
  ('sensitive_consent', 'conversation', array['emergency', 'municipality']::text[]),
  ('sensitive_declined', 'conversation', array[]::text[]),
  ('status_closed', 'label', array[]::text[]),
  ('status_escalated', 'label', array[]::text[]),
  ('status_in_progress', 'label', array[]::text[]),
  ('status_not_found', 'conversation', array[]::text[]),
  ('status_open', 'label', array[]::text[]),
  ('status_reply', 'conversation', array['status', 'tracking_number']::text[]),
  ('status_resolved', 'label', array[]::text[]),
  ('status_usage', 'conversation', array[]::text[]),
  ('stopped', 'conversation', array[]::text[]),
  ('ticket_status_changed', 'notification', array['status', 'tracking_number']::text[]),
  ('too_many_photos', 'conversation', array['max']::text[]);

insert into public.message_templates (template_key, language, body, status) values
  ('ask_description', 'en', 'Please describe the problem in a few words: what is wrong, and since when?', 'approved'),
  ('ask_description', 'zu', 'Sicela uchaze inkinga ngamagama ambalwa: yini engahambi kahle, futhi kusukela nini?', 'approved'),
  ('ask_description', 'af', 'Beskryf asseblief die probleem in ''n paar woorde: wat is fout, en sedert wanneer?', 'approved'),
  ('ask_description_sensitive', 'en', 'Tell us what happened, in your own words. Only the people who will help you can read it.', 'approved'),
  ('ask_description_sensitive', 'zu', 'Sitshele ukuthi kwenzenjani, ngamazwi akho. Kuphela abantu abazokusiza abangakufunda.', 'approved'),
  ('ask_description_sensitive', 'af', 'Vertel ons wat gebeur het, in jou eie woorde. Net die mense wat jou gaan help, kan dit lees.', 'approved'),
  ('ask_location', 'en', 'Where is the problem? Share your location (tap the paperclip, then Location) or type the street address.', 'approved'),
  ('ask_location', 'zu', 'Ikuphi inkinga? Thumela indawo okuyo (cindezela isiqeshana sephepha, bese uthi Indawo) noma ubhale ikheli lomgwaqo.', 'approved'),
  ('ask_location', 'af', 'Waar is die probleem? Deel jou ligging (tik op die skuifspeld, dan Ligging) of tik die straatadres.', 'approved'),
  ('ask_location_sensitive', 'en', 'Where can help reach you? Share a location or type an address, only if it is safe to do so. If it is not, reply SKIP.', 'approved'),
  ('ask_location_sensitive', 'zu', 'Usizo lungakuthola kuphi? Thumela indawo noma ubhale ikheli, kuphela uma kuphephile ukwenza lokho. Uma kungaphephile, phendula ngokuthi ANGIFUNI.', 'approved'),
  ('ask_location_sensitive', 'af', 'Waar kan hulp jou bereik? Deel ''n ligging of tik ''n adres, net as dit veilig is om dit te doen. As dit nie veilig is nie, antwoord OORSLAAN.', 'approved'),
  ('ask_photos', 'en', 'You may send up to {max} photos now. When you are done, or if you have none, reply 1.', 'approved'),
  ('ask_photos', 'zu', 'Ungathumela izithombe ezingafika ku-{max} manje. Uma usuqedile, noma ungenazo, phendula ngo-1.', 'approved'),
  ('ask_photos', 'af', 'Jy kan nou tot {max} foto''s stuur. As jy klaar is, of as jy geen het nie, antwoord 1.', 'approved'),
  ('cat_electricity', 'en', 'Electricity', 'approved'),
  ('cat_electricity', 'zu', 'Ugesi', 'approved'),
  ('cat_electricity', 'af', 'Elektrisiteit', 'approved'),
  ('cat_gbv', 'en', 'Personal safety (private)', 'approved'),
  ('cat_gbv', 'zu', 'Ukuphepha komuntu (kuyimfihlo)', 'approved'),
  ('cat_gbv', 'af', 'Persoonlike veiligheid (privaat)', 'approved'),
  ('cat_other', 'en', 'Something else', 'approved'),
  ('cat_other', 'zu', 'Okunye', 'approved'),
  ('cat_other', 'af', 'Iets anders', 'approved'),
  ('cat_roads', 'en', 'Roads', 'approved'),
  ('cat_roads', 'zu', 'Imigwaqo', 'approved'),
  ('cat_roads', 'af', 'Paaie', 'approved'),
  ('cat_sanitation', 'en', 'Toilets and sewage', 'approved'),
  ('cat_sanitation', 'zu', 'Amathoyilethi nendle', 'approved'),
  ('cat_sanitation', 'af', 'Toilette en riool', 'approved'),
  ('cat_waste', 'en', 'Waste collection', 'approved'),
  ('cat_waste', 'zu', 'Ukuqoqwa kukadoti', 'approved'),
  ('cat_waste', 'af', 'Vullisverwydering', 'approved'),
  ('cat_water', 'en', 'Water', 'approved'),
  ('cat_water', 'zu', 'Amanzi', 'approved'),
  ('cat_water', 'af', 'Water', 'approved'),
  ('choose_language', 'en', 'Welcome! Sawubona! Welkom!
Reply 1 for English
Phendula ngo-2 ukuze uthole isiZulu
Antwoord 3 vir Afrikaans', 'approved'),
  ('choose_language', 'zu', 'Welcome! Sawubona! Welkom!
Reply 1 for English
Phendula ngo-2 ukuze uthole isiZulu
Antwoord 3 vir Afrikaans', 'approved'),
  ('choose_language', 'af', 'Welcome! Sawubona! Welkom!
Reply 1 for English
Phendula ngo-2 ukuze uthole isiZulu
Antwoord 3 vir Afrikaans', 'approved'),
  ('confirm', 'en', 'Please check your report:
Type: {category}
Description: {description}
Place: {place}
Photos: {photos}

Reply 1 to send it, or 2 to start again.', 'approved'),
  ('confirm', 'zu', 'Sicela uhlole umbiko wakho:
Uhlobo: {category}
Incazelo: {description}
Indawo: {place}
Izithombe: {photos}

Phendula ngo-1 ukuze uwuthumele, noma ngo-2 ukuze uqale kabusha.', 'approved'),
  ('confirm', 'af', 'Gaan asseblief jou verslag na:
Soort: {category}
Beskrywing: {description}
Plek: {place}
Foto''s: {photos}

Antwoord 1 om dit te stuur, of 2 om weer te begin.', 'approved'),
  ('confirm_sensitive', 'en', 'Your private report is ready ({photos} photo(s)). Reply 1 to send it, or 2 to start again.', 'approved'),
  ('confirm_sensitive', 'zu', 'Umbiko wakho oyimfihlo usulungile (izithombe eziyi-{photos}). Phendula ngo-1 ukuze uwuthumele, noma ngo-2 ukuze uqale kabusha.', 'approved'),
  ('confirm_sensitive', 'af', 'Jou private verslag is gereed ({photos} foto(''s)). Antwoord 1 om dit te stuur, of 2 om weer te begin.', 'approved'),
  ('consent_declined', 'en', 'Understood. We have not kept any of your details. Send us a message any time if you change your mind.', 'approved'),
  ('consent_declined', 'zu', 'Kuzwakele. Asigcinanga lutho lwemininingwane yakho. Sithumelele umlayezo noma nini uma ushintsha umqondo.', 'approved'),
  ('consent_declined', 'af', 'Verstaan. Ons het niks van jou besonderhede gehou nie. Stuur enige tyd vir ons ''n boodskap as jy van plan verander.', 'approved'),
  ('consent_notice', 'en', '{municipality} uses this chat to take reports about municipal services. To do that we keep your phone number, what you report and where it is, and use them only to handle your reports and tell you how they are going, as the Protection of Personal Information Act (POPIA) requires. Privacy notice version {version}.

Reply 1 if you agree, or 2 if you do not.', 'approved'),
  ('consent_notice', 'zu', 'I-{municipality} isebenzisa le ngxoxo ukuthola imibiko ngezinsizakalo zikamasipala. Ukuze senze lokho sigcina inombolo yakho yocingo, lokho okubikayo nendawo okukuyo, futhi sikusebenzisela kuphela ukusingatha imibiko yakho nokukwazisa ngenqubekela phambili, njengoba uMthetho Wokuvikelwa Kolwazi Lomuntu Siqu (POPIA) udinga. Inguqulo yesaziso sobumfihlo {version}.

Phendula ngo-1 uma uvuma, noma ngo-2 uma ungavumi.', 'approved'),
  ('consent_notice', 'af', '{municipality} gebruik hierdie klets om verslae oor munisipale dienste te ontvang. Daarvoor hou ons jou telefoonnommer, wat jy rapporteer en waar dit is, en gebruik dit net om jou verslae te hanteer en jou op hoogte te hou, soos die Wet op die Beskerming van Persoonlike Inligting (POPIA) vereis. Privaatheidskennisgewing weergawe {version}.

Antwoord 1 as jy instem, of 2 as jy nie instem nie.', 'approved'),
  ('data_request_access', 'en', 'We have received your request to see the information we hold about you (reference {reference}). The municipality will answer by {due_date}, free of charge. For your safety we never send your information over WhatsApp: sign in on the municipality''s website to download it, or ask at its offices.', 'approved'),
  ('data_request_access', 'zu', 'Sithole isicelo sakho sokubona imininingwane esiyigcinile ngawe (inombolo yereferensi {reference}). Umasipala uzophendula ngomhla ka-{due_date}, mahhala. Ukuze uphephe asilokothi sithumele imininingwane yakho nge-WhatsApp: ngena kuwebhusayithi kamasipala ukuze uyilande, noma ubuze emahhovisi awo.', 'approved'),
  ('data_request_access', 'af', 'Ons het jou versoek ontvang om die inligting te sien wat ons oor jou hou (verwysing {reference}). Die munisipaliteit sal teen {due_date} antwoord, gratis. Vir jou veiligheid stuur ons nooit jou inligting oor WhatsApp nie: meld aan op die munisipaliteit se webwerf om dit af te laai, of vra by sy kantore.', 'approved'),
  ('data_request_deletion', 'en', 'We have received your request to erase the information we hold about you (reference {reference}). The municipality will answer by {due_date}. Your reports stay on record only as numbers without your name, phone number or address.', 'approved'),
  ('data_request_deletion', 'zu', 'Sithole isicelo sakho sokusula imininingwane esiyigcinile ngawe (inombolo yereferensi {reference}). Umasipala uzophendula ngomhla ka-{due_date}. Imibiko yakho izohlala irekhodiwe kuphela njengezinombolo ngaphandle kwegama lakho, inombolo yocingo noma ikheli.', 'approved'),
  ('data_request_deletion', 'af', 'Ons het jou versoek ontvang om die inligting wat ons oor jou hou uit te vee (verwysing {reference}). Die munisipaliteit sal teen {due_date} antwoord. Jou verslae bly slegs as syfers op rekord, sonder jou naam, telefoonnommer of adres.', 'approved'),
  ('data_request_needs_consent', 'en', 'We hold no information linked to this phone number yet.', 'approved'),
  ('data_request_needs_consent', 'zu', 'Asikabi nayo imininingwane exhunywe nale nombolo yocingo.', 'approved'),
  ('data_request_needs_consent', 'af', 'Ons hou nog geen inligting wat aan hierdie telefoonnommer gekoppel is nie.', 'approved'),
  ('description_too_short', 'en', 'Please write a little more (at least 10 letters).', 'approved'),
  ('description_too_short', 'zu', 'Sicela ubhale kancane ngaphezulu (okungenani izinhlamvu eziyi-10).', 'approved'),
  ('description_too_short', 'af', 'Skryf asseblief ''n bietjie meer (ten minste 10 letters).', 'approved'),
  ('emergency', 'en', 'If you are in danger right now, call 10111 (SAPS) or the 24-hour Command Centre on 0800 428 428.', 'approved'),
  ('emergency', 'zu', 'Uma usengozini manje, shayela u-10111 (SAPS) noma i-Command Centre esebenza amahora angu-24 ku-0800 428 428.', 'approved'),
  ('emergency', 'af', 'As jy nou in gevaar is, bel 10111 (SAPS) of die 24-uur-bevelsentrum by 0800 428 428.', 'approved'),
  ('expired', 'en', 'Your unfinished report was cleared because there was no reply for a while. Let us start again.', 'approved'),
  ('expired', 'zu', 'Umbiko wakho obungakaqedwa usususiwe ngoba kade kungekho mpendulo. Ake siqale kabusha.', 'approved'),
  ('expired', 'af', 'Jou onvoltooide verslag is uitgevee omdat daar ''n ruk lank geen antwoord was nie. Kom ons begin weer.', 'approved'),
  ('filed', 'en', 'Thank you. Your report has been sent. Your reference number is {tracking_number}. Send "status {tracking_number}" at any time to see how it is going.', 'approved'),
  ('filed', 'zu', 'Siyabonga. Umbiko wakho uthunyelwe. Inombolo yakho yereferensi ithi {tracking_number}. Thumela "isimo {tracking_number}" noma nini ukuze ubone ukuthi uqhuba kanjani.', 'approved'),
  ('filed', 'af', 'Dankie. Jou verslag is gestuur. Jou verwysingsnommer is {tracking_number}. Stuur "status {tracking_number}" enige tyd om te sien hoe dit vorder.', 'approved'),
  ('filed_sensitive', 'en', 'Thank you for trusting us. Your report has been received and will be handled privately. Reference: {tracking_number}. We will not message you first; send "status {tracking_number}" when it is safe.

{emergency}', 'approved'),
  ('filed_sensitive', 'zu', 'Siyabonga ngokusethemba. Umbiko wakho utholakele futhi uzosingathwa ngasese. Inombolo yereferensi: {tracking_number}. Ngeke sikuthumelele umlayezo kuqala; thumela "isimo {tracking_number}" uma kuphephile.

{emergency}', 'approved'),
  ('filed_sensitive', 'af', 'Dankie dat jy ons vertrou. Jou verslag is ontvang en sal privaat hanteer word. Verwysing: {tracking_number}. Ons sal jou nie eerste ''n boodskap stuur nie; stuur "status {tracking_number}" wanneer dit veilig is.

{emergency}', 'approved'),
  ('duplicate_offer', 'en', 'This looks like report {tracking_number}, already open nearby. Reply 1 to follow it instead (you will get its updates), or 2 to file a new one.', 'approved'),
  ('duplicate_offer', 'zu', 'Lokhu kubukeka kufana nombiko {tracking_number}, osuvuliwe eduze. Phendula ngo-1 ukuze uwulandele esikhundleni salokho (uzothola izibuyekezo zawo), noma ngo-2 ukuze ufake omusha.', 'approved'),
  ('duplicate_offer', 'af', 'Dit lyk soos verslag {tracking_number}, wat reeds naby oop is. Antwoord 1 om dit eerder te volg (jy kry sy nuus), of 2 om ''n nuwe een in te dien.', 'approved'),
  ('following', 'en', 'You are now following report {tracking_number}. We will tell you when its status changes.', 'approved'),
  ('following', 'zu', 'Manje usulandela umbiko {tracking_number}. Sizokwazisa uma isimo sawo sishintsha.', 'approved'),
  ('following', 'af', 'Jy volg nou verslag {tracking_number}. Ons laat weet jou wanneer sy status verander.', 'approved'),
  ('filing_failed', 'en', 'Sorry, something went wrong on our side and your report was not sent yet. Reply 1 to try again.', 'approved'),
  ('filing_failed', 'zu', 'Uxolo, kukhona okungahambanga kahle ngakithi futhi umbiko wakho awukathunyelwa. Phendula ngo-1 ukuze uzame futhi.', 'approved'),
  ('filing_failed', 'af', 'Jammer, iets het aan ons kant verkeerd geloop en jou verslag is nog nie gestuur nie. Antwoord 1 om weer te probeer.', 'approved'),
  ('help', 'en', 'This chat takes reports for {municipality}. Send:
- status and your reference number, to see progress
- restart, to begin a new report
- my data, to ask what we hold about you
- delete my data, to ask us to erase it
- stop, to get no more messages

{emergency}', 'approved'),
  ('help', 'zu', 'Le ngxoxo yamukela imibiko ye-{municipality}. Thumela:
- isimo nenombolo yakho yereferensi, ukuze ubone inqubekela phambili
- qala kabusha, ukuze uqale umbiko omusha
- my data, ukuze ubuze ukuthi yini esiyigcinile ngawe
- delete my data, ukuze ucele ukuthi siyisuse
- yima, ukuze ungabe usathola imilayezo

{emergency}', 'approved'),
  ('help', 'af', 'Hierdie klets neem verslae vir {municipality}. Stuur:
- status en jou verwysingsnommer, om die vordering te sien
- begin weer, om ''n nuwe verslag te begin
- my data, om te vra wat ons oor jou hou
- delete my data, om ons te vra om dit uit te vee
- stop, om geen boodskappe meer te kry nie

{emergency}', 'approved'),
  ('location_pin', 'en', 'shared location', 'approved'),
  ('location_pin', 'zu', 'indawo oyithumele', 'approved'),
  ('location_pin', 'af', 'gedeelde ligging', 'approved'),
  ('location_too_short', 'en', 'Please send a location pin, or type an address with a street name.', 'approved'),
  ('location_too_short', 'zu', 'Sicela uthumele indawo, noma ubhale ikheli elinegama lomgwaqo.', 'approved'),
  ('location_too_short', 'af', 'Stuur asseblief ''n liggingspeld, of tik ''n adres met ''n straatnaam.', 'approved'),
  ('menu', 'en', 'What would you like to report? Reply with a number:
1 {water}
2 {electricity}
3 {roads}
4 {waste}
5 {sanitation}
6 {gbv}
7 {other}

At any time you can send: status (with your reference number), help, restart or stop.', 'approved'),
  ('menu', 'zu', 'Ungathanda ukubika ngani? Phendula ngenombolo:
1 {water}
2 {electricity}
3 {roads}
4 {waste}
5 {sanitation}
6 {gbv}
7 {other}

Noma nini ungathumela: isimo (nenombolo yakho yereferensi), usizo, qala kabusha noma yima.', 'approved'),
  ('menu', 'af', 'Waaroor wil jy verslag doen? Antwoord met ''n nommer:
1 {water}
2 {electricity}
3 {roads}
4 {waste}
5 {sanitation}
6 {gbv}
7 {other}

Jy kan enige tyd stuur: status (met jou verwysingsnommer), hulp, begin weer of stop.', 'approved'),
  ('not_understood', 'en', 'Sorry, I did not understand that.', 'approved'),
  ('not_understood', 'zu', 'Uxolo, angikuqondanga lokho.', 'approved'),
  ('not_understood', 'af', 'Jammer, ek het dit nie verstaan nie.', 'approved'),
  ('photo_received', 'en', 'Got it: {count} photo(s) so far. Send another, or reply 1 to continue.', 'approved'),
  ('photo_received', 'zu', 'Sikutholile: izithombe eziyi-{count} kuze kube manje. Thumela esinye, noma uphendule ngo-1 ukuze uqhubeke.', 'approved'),
  ('photo_received', 'af', 'Ontvang: {count} foto(''s) tot dusver. Stuur nog een, of antwoord 1 om voort te gaan.', 'approved'),
  ('privacy_notice', 'en', 'Privacy notice of {municipality} (version {version})

Who collects: {municipality}, the responsible party under the Protection of Personal Information Act 4 of 2013 (POPIA). Contact: {contact}.
What we collect: your name, phone number and email if you give them, what you report, where it is, and photos you send.
Why: to handle your reports about municipal services and tell you how they are going. This rests on the municipality''s public duty (POPIA s11(1)(e)). Passing a private safety report to the SAPS liaison officers, and any other messages, rest on your consent, which you may withdraw at any time, free of charge (send "stop" on WhatsApp).
Voluntary: giving your details is voluntary, but without a way to reach you we cannot tell you how your report is going.
Who receives it: the municipality''s staff who handle your report; a private safety report only its trained SAPS liaison officers. Nobody else, unless a law requires it.
Transfers abroad: messages travel through Twilio (United States) and WhatsApp (Meta); data is stored by our cloud host. Each is bound by an operator agreement with protection equal to POPIA (s72).
Your rights: to ask, free of charge, whether we hold your information and to receive it within 30 days; to have it corrected or deleted; to object; and to complain to the Information Regulator, JD House, 27 Stiemens Street, Braamfontein, Johannesburg, 2001, enquiries@inforegulator.org.za.', 'approved'),
  ('privacy_notice', 'zu', 'Isaziso sobumfihlo se-{municipality} (inguqulo {version})

Oqoqayo: I-{municipality}, iqembu elinomthwalo ngaphansi koMthetho Wokuvikelwa Kolwazi Lomuntu Siqu 4 ka-2013 (POPIA). Xhumana: {contact}.
Esikuqoqayo: igama lakho, inombolo yocingo ne-imeyili uma uzinikeza, lokho okubikayo, lapho kukhona, nezithombe ozithumelayo.
Kungani: ukusingatha imibiko yakho ngezinsizakalo zikamasipala nokukwazisa ngenqubekela phambili. Lokhu kusekelwe emsebenzini womphakathi kamasipala (POPIA s11(1)(e)). Ukudlulisela umbiko wokuphepha oyimfihlo kuzikhulu zokuxhumana ze-SAPS, neminye imilayezo, kusekelwe emvumeni yakho, ongayihoxisa noma nini, mahhala (thumela "yima" ku-WhatsApp).
Ngokuzithandela: ukunikeza imininingwane yakho kungokuzithandela, kodwa uma singenayo indlela yokukuthola ngeke sikwazi ukukwazisa ngombiko wakho.
Abayitholayo: abasebenzi bakamasipala abasingatha umbiko wakho; umbiko wokuphepha oyimfihlo ubonwa yizikhulu zokuxhumana ze-SAPS eziqeqeshiwe kuphela. Akekho omunye, ngaphandle uma umthetho udinga.
Ukudluliselwa kwamanye amazwe: imilayezo idlula ku-Twilio (e-United States) nase-WhatsApp (Meta); imininingwane igcinwa umhlinzeki wethu we-cloud. Ngamunye uboshwe yisivumelwano somsebenzi esivikela njenge-POPIA (s72).
Amalungelo akho: ukubuza, mahhala, ukuthi siyayigcina yini imininingwane yakho nokuyithola zingakapheli izinsuku ezingu-30; ukuthi ilungiswe noma isuswe; ukuphikisa; nokufaka isikhalazo ku-Information Regulator, JD House, 27 Stiemens Street, Braamfontein, Johannesburg, 2001, enquiries@inforegulator.org.za.', 'approved'),
  ('privacy_notice', 'af', 'Privaatheidskennisgewing van {municipality} (weergawe {version})

Wie versamel: {municipality}, die verantwoordelike party kragtens die Wet op die Beskerming van Persoonlike Inligting 4 van 2013 (POPIA). Kontak: {contact}.
Wat ons versamel: jou naam, telefoonnommer en e-pos as jy dit gee, wat jy rapporteer, waar dit is, en foto''s wat jy stuur.
Waarom: om jou verslae oor munisipale dienste te hanteer en jou op hoogte te hou. Dit berus op die munisipaliteit se openbare plig (POPIA a11(1)(e)). Om ''n private veiligheidsverslag aan die SAPS-skakelbeamptes deur te gee, en enige ander boodskappe, berus op jou toestemming, wat jy enige tyd gratis kan terugtrek (stuur "stop" op WhatsApp).
Vrywillig: dit is vrywillig om jou besonderhede te gee, maar sonder ''n manier om jou te bereik kan ons jou nie van jou verslag op hoogte hou nie.
Wie dit ontvang: die munisipaliteit se personeel wat jou verslag hanteer; ''n private veiligheidsverslag slegs sy opgeleide SAPS-skakelbeamptes. Niemand anders nie, tensy ''n wet dit vereis.
Oordrag na die buiteland: boodskappe gaan deur Twilio (Verenigde State) en WhatsApp (Meta); data word deur ons wolkgasheer gestoor. Elkeen is gebonde aan ''n operateursooreenkoms met beskerming gelyk aan POPIA (a72).
Jou regte: om gratis te vra of ons jou inligting hou en dit binne 30 dae te ontvang; om dit te laat regstel of uitvee; om beswaar te maak; en om by die Inligtingsreguleerder te kla, JD House, Stiemensstraat 27, Braamfontein, Johannesburg, 2001, enquiries@inforegulator.org.za.', 'approved'),
  ('restarted', 'en', 'Let us start again.', 'approved'),
  ('restarted', 'zu', 'Ake siqale kabusha.', 'approved'),
  ('restarted', 'af', 'Kom ons begin weer.', 'approved'),
  ('sensitive_consent', 'en', 'This is a private, safe channel. What you tell us is kept locked and only the trained SAPS liaison officers of {municipality} will see it.

{emergency}

May we pass your report to them so that they can help you? Reply 1 for yes or 2 for no.', 'approved'),
  ('sensitive_consent', 'zu', 'Lena yindlela eyimfihlo nephephile. Lokho osichazela kona kugcinwa kuvikelekile futhi kuzobonwa kuphela yizikhulu zokuxhumana ze-SAPS eziqeqeshiwe zase-{municipality}.

{emergency}

Singawudlulisela kubo umbiko wakho ukuze bakusize? Phendula ngo-1 uma uvuma noma ngo-2 uma ungavumi.', 'approved'),
  ('sensitive_consent', 'af', 'Dit is ''n private, veilige kanaal. Wat jy vir ons vertel, word toegesluit bewaar en net die opgeleide SAPS-skakelbeamptes van {municipality} sal dit sien.

{emergency}

Mag ons jou verslag aan hulle deurgee sodat hulle jou kan help? Antwoord 1 vir ja of 2 vir nee.', 'approved'),
  ('sensitive_declined', 'en', 'We respect your choice and have not kept anything. Help is there day and night: 10111 (SAPS) or 0800 428 428.', 'approved'),
  ('sensitive_declined', 'zu', 'Siyasihlonipha isinqumo sakho futhi asigcinanga lutho. Usizo lukhona emini nasebusuku: 10111 (SAPS) noma 0800 428 428.', 'approved'),
  ('sensitive_declined', 'af', 'Ons respekteer jou keuse en het niks gehou nie. Hulp is dag en nag daar: 10111 (SAPS) of 0800 428 428.', 'approved'),
  ('status_closed', 'en', 'closed', 'approved'),
  ('status_closed', 'zu', 'uvaliwe', 'approved'),
  ('status_closed', 'af', 'gesluit', 'approved'),
  ('status_escalated', 'en', 'passed to a senior official', 'approved'),
  ('status_escalated', 'zu', 'udluliselwe kusikhulu esiphezulu', 'approved'),
  ('status_escalated', 'af', 'na ''n senior amptenaar verwys', 'approved'),
  ('status_in_progress', 'en', 'being worked on', 'approved'),
  ('status_in_progress', 'zu', 'kusetshenzwa kuwo', 'approved'),
  ('status_in_progress', 'af', 'daar word aan gewerk', 'approved'),
  ('status_not_found', 'en', 'I could not find a report with that number from this phone. Please check the number and try again.', 'approved'),
  ('status_not_found', 'zu', 'Angiwutholanga umbiko onaleyo nombolo ovela kulolu cingo. Sicela uhlole inombolo bese uzama futhi.', 'approved'),
  ('status_not_found', 'af', 'Ek kon nie ''n verslag met daardie nommer van hierdie foon af vind nie. Gaan asseblief die nommer na en probeer weer.', 'approved'),
  ('status_open', 'en', 'received, waiting to be handled', 'approved'),
  ('status_open', 'zu', 'utholakele, ulinde ukusingathwa', 'approved'),
  ('status_open', 'af', 'ontvang, wag om hanteer te word', 'approved'),
  ('status_reply', 'en', 'Report {tracking_number}: {status}.', 'approved'),
  ('status_reply', 'zu', 'Umbiko {tracking_number}: {status}.', 'approved'),
  ('status_reply', 'af', 'Verslag {tracking_number}: {status}.', 'approved'),
  ('status_resolved', 'en', 'resolved', 'approved'),
  ('status_resolved', 'zu', 'uxazululiwe', 'approved'),
  ('status_resolved', 'af', 'opgelos', 'approved'),
  ('status_usage', 'en', 'Send "status" followed by your reference number, for example: status DEMO-2026-000123', 'approved'),
  ('status_usage', 'zu', 'Thumela "isimo" bese ulandelisa ngenombolo yakho yereferensi, isibonelo: isimo DEMO-2026-000123', 'approved'),
  ('status_usage', 'af', 'Stuur "status" gevolg deur jou verwysingsnommer, byvoorbeeld: status DEMO-2026-000123', 'approved'),
  ('stopped', 'en', 'You will get no more messages from us. Send "start" if you want to use this service again.', 'approved'),
  ('stopped', 'zu', 'Ngeke usathola imilayezo evela kithi. Thumela "qala" uma ufuna ukuphinda usebenzise le nsizakalo.', 'approved'),
  ('stopped', 'af', 'Jy sal geen boodskappe meer van ons kry nie. Stuur "begin" as jy hierdie diens weer wil gebruik.', 'approved'),
  ('ticket_status_changed', 'en', 'Update on your report {tracking_number}: {status}.', 'approved'),
  ('ticket_status_changed', 'zu', 'Isibuyekezo ngombiko wakho {tracking_number}: {status}.', 'approved'),
  ('ticket_status_changed', 'af', 'Nuus oor jou verslag {tracking_number}: {status}.', 'approved'),
  ('too_many_photos', 'en', 'That is the most photos we can take ({max}). Reply 1 to continue.', 'approved'),
  ('too_many_photos', 'zu', 'Lezi yizithombe eziningi kakhulu esingazamukela ({max}). Phendula ngo-1 ukuze uqhubeke.', 'approved'),
  ('too_many_photos', 'af', 'Dit is die meeste foto''s wat ons kan neem ({max}). Antwoord 1 om voort te gaan.', 'approved');
