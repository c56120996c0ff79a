-- =====================================================================
-- 0016 The duty to protect children
-- Anyone who knows of a sexual offence against a child must report it to
-- the police at once (Criminal Law (Sexual Offences) Act s54); abuse or
-- deliberate neglect of a child is reported to a designated social worker
-- (Children's Act s110, "Form 22"); the Domestic Violence Act s2B adds the
-- same duty for domestic violence. So, on a protected report:
--   1. the WhatsApp conversation tells the person that reports involving a
--      child are always passed on to SAPS, then asks whether a child is
--      involved (the answer waits on the conversation until filing);
--   2. a child case (flagged by that answer, or by a liaison or admin) has
--      15 minutes, day and night, to be acknowledged by a SAPS liaison; a
--      missed deadline escalates once, to a backup liaison and the admins:
--      an escalation record, a WhatsApp notification to each of them, and a
--      live event on a channel only that person receives;
--   3. a referral record for the Department of Social Development (the
--      Form 22 fields), sealed like the report itself, opened automatically;
--   4. nobody (least of all the person) switches a referral off; the
--      emergency wording names Childline 116 besides 10111 and 0800 428 428.
-- Nothing here ever reaches the reporting number: a protected report's
-- notifications are dropped by 0006's trigger, and the alerts this adds go
-- only to staff.
-- =====================================================================

-- ---------------------------------------------------------------------
-- 1. The conversation: one more step in the protected flow, and the
-- person's answer kept with the draft until it is filed.
-- ---------------------------------------------------------------------
alter table public.whatsapp_conversations add column child_involved boolean;
comment on column public.whatsapp_conversations.child_involved is
  'The answer to "is a child involved or at risk?" while a protected report is drafted.';

alter table public.whatsapp_conversations drop constraint whatsapp_conversations_state_check;
alter table public.whatsapp_conversations add constraint whatsapp_conversations_state_check
  check (state in ('language', 'consent', 'menu', 'sensitive_consent', 'child', 'description',
                   'location', 'photos', 'confirm', 'duplicate', 'opted_out'));

-- The answer belongs to the draft: whenever the draft is dropped (filed,
-- restarted, expired, stopped) the category goes, and the answer with it.
create function private.forget_child_answer_with_the_draft() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.category is null then
    new.child_involved := null;
  end if;
  return new;
end
$$;

create trigger forget_child_answer_with_the_draft
  before insert or update on public.whatsapp_conversations
  for each row execute function private.forget_child_answer_with_the_draft();

-- ---------------------------------------------------------------------
-- 2. Child cases on the casework row: the flag, when and by whom it was
-- raised, the acknowledgement deadline and the escalation time.
-- ---------------------------------------------------------------------
alter table public.protected_casework
  add column child_involved boolean not null default false,
  add column child_flagged_at timestamptz,
  add column child_flagged_by uuid references public.profiles (id),
  add column acknowledge_by timestamptz,
  add column child_escalated_at timestamptz;
comment on column public.protected_casework.child_flagged_by is
  'The liaison or admin who flagged the case; NULL when the person said so when reporting.';
comment on column public.protected_casework.acknowledge_by is
  'A child case must be acknowledged by then (15 minutes after it was flagged, at any hour).';

-- Liaisons and admins may flag a case (the update policy of 0013 limits
-- the rows); the deadline and escalation columns are the database's.
grant update (child_involved) on public.protected_casework to authenticated;

-- The job's sweep reads only cases still waiting.
create index protected_casework_child_waiting_idx on public.protected_casework (acknowledge_by)
  where child_involved and acknowledged_at is null and child_escalated_at is null;

-- Flagging starts the 15-minute clock; a flag is never lowered. (The
-- clock's columns are not granted to the API roles: only the database and
-- the service role write them.)
create function private.start_child_case_clock() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and old.child_involved and not new.child_involved then
    raise exception 'child_involved: a case involving a child stays referred'
      using errcode = 'SA409';
  end if;
  if new.child_involved and (tg_op = 'INSERT' or not old.child_involved) then
    new.child_flagged_at := now();
    new.child_flagged_by := auth.uid();
    new.acknowledge_by := now() + interval '15 minutes';
  end if;
  return new;
end
$$;

create trigger start_child_case_clock before insert or update on public.protected_casework
  for each row execute function private.start_child_case_clock();

-- ---------------------------------------------------------------------
-- 3. The Department of Social Development referral (Children's Act s110,
-- Form 22): opened with the child case, completed and marked referred by
-- a liaison or admin. It names a child, so it is sealed like the report:
-- only the municipality's SAPS liaisons and admins, audit entries marked
-- sensitive and its personal fields sealed under the reporter's audit key
-- (gone with an erasure); the fields themselves are cleared when the
-- report is de-identified.
-- ---------------------------------------------------------------------
create table public.dsd_referrals (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null unique references public.tickets (id) on delete cascade,
  tenant_id uuid not null references public.municipalities (id),
  status text not null default 'pending' check (status in ('pending', 'referred')),
  -- Who reported, in Form 22's terms.
  reporter_type text not null default 'member_of_public'
    check (reporter_type in ('member_of_public', 'child', 'family_member', 'professional',
                             'anonymous')),
  -- The child, as far as known.
  child_name text check (length(btrim(child_name)) between 1 and 200),
  child_age integer check (child_age between 0 and 17),
  child_gender text check (child_gender in ('female', 'male', 'other', 'unknown')),
  -- What happened, where and when, and by whom (the relationship only).
  abuse_nature text[] not null default '{}'
    check (abuse_nature <@ array['physical_abuse', 'sexual_abuse', 'emotional_abuse', 'neglect',
                                 'abandonment', 'exploitation', 'other']),
  incident_place text check (length(incident_place) <= 500),
  incident_when text check (length(incident_when) <= 200),
  offender_relationship text check (length(offender_relationship) <= 200),
  action_taken text check (length(action_taken) <= 2000),
  referral_date date,
  case_number text check (case_number ~ '^CAS [0-9]{1,6}/[0-9]{1,2}/[0-9]{4}$'),
  referred_at timestamptz,
  referred_by uuid references public.profiles (id),
  -- Always true: marks the row's audit entries as sensitive.
  is_sensitive boolean not null default true check (is_sensitive),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.dsd_referrals is
  'Children''s Act s110 (Form 22) referrals of child cases to the Department of Social Development.';
create index dsd_referrals_tenant_status_idx on public.dsd_referrals (tenant_id, status);

-- pending -> referred, once; a referral made is never undone. Referring
-- needs the nature of the abuse or neglect; the date and the person who
-- referred are stamped.
create function private.guard_dsd_referral() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (new.ticket_id, new.tenant_id) is distinct from (old.ticket_id, old.tenant_id) then
    raise exception 'a referral stays with its report' using errcode = 'SA409';
  end if;
  if old.status = 'referred' then
    if new.status <> 'referred' then
      raise exception 'status: a referral once made is never withdrawn' using errcode = 'SA409';
    end if;
    new.referred_at := old.referred_at;
    new.referred_by := old.referred_by;
    new.referral_date := old.referral_date;
  elsif new.status = 'referred' then
    if cardinality(new.abuse_nature) = 0 then
      raise exception 'abuse_nature: say what the child suffered before referring'
        using errcode = 'SA422';
    end if;
    new.referral_date := coalesce(new.referral_date, (now() at time zone 'Africa/Johannesburg')::date);
    new.referred_at := now();
    new.referred_by := auth.uid();
  else
    new.referred_at := null;
    new.referred_by := null;
  end if;
  return new;
end
$$;

create trigger guard_dsd_referral before update on public.dsd_referrals
  for each row execute function private.guard_dsd_referral();
create trigger stamp_row before insert or update on public.dsd_referrals
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.dsd_referrals
  for each row execute function private.audit_row();

alter table public.dsd_referrals enable row level security;
alter table public.dsd_referrals force row level security;
revoke all on public.dsd_referrals from anon, authenticated;
grant select on public.dsd_referrals to authenticated;
grant update (status, reporter_type, child_name, child_age, child_gender, abuse_nature,
              incident_place, incident_when, offender_relationship, action_taken,
              referral_date, case_number)
  on public.dsd_referrals to authenticated;
grant all on public.dsd_referrals to service_role;

create policy "SAPS liaisons and admins read their municipality's child referrals"
  on public.dsd_referrals for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()));

create policy "SAPS liaisons and admins complete their municipality's child referrals"
  on public.dsd_referrals for update to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()))
  with check (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()));

-- A flagged case opens its referral (with the case number, when SAPS has
-- one) and tells the liaison channel that a 15-minute clock runs.
create function private.open_child_referral() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  insert into public.dsd_referrals (ticket_id, tenant_id, case_number)
  values (new.ticket_id, new.tenant_id, new.cas_number)
  on conflict (ticket_id) do nothing;
  perform realtime.send(
    jsonb_build_object('ticket_id', new.ticket_id, 'acknowledge_by', new.acknowledge_by,
                       'tracking_number', (select t.tracking_number from public.tickets t
                                            where t.id = new.ticket_id)),
    'child_case', 'gbv:' || new.tenant_id::text, true);
  return null;
end
$$;

create trigger open_child_referral after insert or update of child_involved
  on public.protected_casework for each row
  when (new.child_involved) execute function private.open_child_referral();

-- What the person told, where and about whom, goes when the report is
-- de-identified (erasure or retention); what remains says only that a
-- referral of some nature was made, and when.
create function private.deidentify_child_referral() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  update public.dsd_referrals r
     set child_name = null, child_age = null, child_gender = null, incident_place = null,
         incident_when = null, offender_relationship = null, action_taken = null
   where r.ticket_id = new.id;
  return null;
end
$$;

create trigger deidentify_child_referral after update of deidentified_at on public.tickets
  for each row when (new.deidentified_at is not null and old.deidentified_at is null)
  execute function private.deidentify_child_referral();

-- The audit keeps the referral's personal fields sealed under the
-- reporter's key (0011's one place that decides, with one more table).
create or replace function private.audit_personal_fields(p_table text, p_values jsonb, p_row jsonb)
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
    when 'dsd_referrals' then
      v_fields := array['child_name', 'child_age', 'child_gender', 'incident_place',
                        'incident_when', 'offender_relationship', 'action_taken'];
      select t.reporter_id into v_user from public.tickets t
       where t.id = (p_row ->> 'ticket_id')::uuid;
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

-- ---------------------------------------------------------------------
-- 4. Backup liaisons: a flag on SAPS team membership, set by admins (the
-- team_members policies of 0002 already leave SAPS teams to them).
-- ---------------------------------------------------------------------
alter table public.team_members add column is_backup boolean not null default false;
comment on column public.team_members.is_backup is
  'On a SAPS team: first in line when a child case waits too long for its liaison.';

-- The liaison who backs up `p_assignee`: another active SAPS liaison of the
-- municipality, those flagged as backup first, then members of a SAPS
-- team, then the longest-serving. NULL when there is nobody else.
create function private.backup_liaison(p_tenant_id uuid, p_assignee uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select p.id
    from public.profiles p
   where p.tenant_id = p_tenant_id and p.role = 'saps_liaison'
     and p.is_active and p.deleted_at is null
     and p.id is distinct from p_assignee
   order by exists (select 1 from public.team_members tm
                      join public.teams t on t.id = tm.team_id and t.is_saps and t.is_active
                     where tm.user_id = p.id and tm.is_backup) desc,
            exists (select 1 from public.team_members tm
                      join public.teams t on t.id = tm.team_id and t.is_saps and t.is_active
                     where tm.user_id = p.id) desc,
            p.created_at, p.id
   limit 1
$$;

-- ---------------------------------------------------------------------
-- 5. Escalation: one record per child case that waited past its deadline.
-- ---------------------------------------------------------------------
create table public.child_case_escalations (
  id uuid primary key default gen_random_uuid(),
  -- Once per case: the job is idempotent because of this.
  ticket_id uuid not null unique references public.tickets (id) on delete cascade,
  tenant_id uuid not null references public.municipalities (id),
  acknowledge_by timestamptz not null,
  escalated_at timestamptz not null,
  assignee_id uuid references public.profiles (id) on delete set null,
  backup_id uuid references public.profiles (id) on delete set null,
  admin_ids uuid[] not null default '{}',
  -- How many WhatsApp notifications were queued (people without a phone get
  -- the live event and the dashboard only).
  notifications_queued integer not null default 0,
  is_sensitive boolean not null default true check (is_sensitive),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
create index child_case_escalations_tenant_idx on public.child_case_escalations (tenant_id);

create trigger stamp_row before insert or update on public.child_case_escalations
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.child_case_escalations
  for each row execute function private.audit_row();

alter table public.child_case_escalations enable row level security;
alter table public.child_case_escalations force row level security;
revoke all on public.child_case_escalations from anon, authenticated;
grant select on public.child_case_escalations to authenticated;
grant all on public.child_case_escalations to service_role;

create policy "SAPS liaisons and admins read their municipality's child case escalations"
  on public.child_case_escalations for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.sees_sensitive()));

-- The alert a child case's escalation sends goes to staff only: a row for
-- any other number is dropped, whatever queued it.
create function private.child_alerts_only_to_staff() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if new.template_key = 'child_case_escalated' and not exists (
       select 1 from public.profiles p
        where p.phone = new.recipient and p.tenant_id = new.tenant_id
          and p.role in ('saps_liaison', 'admin') and p.is_active and p.deleted_at is null) then
    return null;
  end if;
  return new;
end
$$;

create trigger child_alerts_only_to_staff before insert on public.notification_outbox
  for each row execute function private.child_alerts_only_to_staff();

-- Every child case past its deadline and still unacknowledged, once: the
-- record, a notification to the backup liaison and each admin who has a
-- phone (no ticket link, so it carries nothing of the reporter), and a
-- live event on each one's own channel.
create function private.escalate_unacknowledged_child_cases(p_now timestamptz default now())
returns integer
language plpgsql security definer
set search_path = ''
as $$
declare
  v_case record;
  v_backup uuid;
  v_admins uuid[];
  v_queued integer;
  v_count integer := 0;
  v_recipient uuid;
begin
  for v_case in
    select c.ticket_id, c.tenant_id, c.acknowledge_by, t.tracking_number, t.assigned_to
      from public.protected_casework c
      join public.tickets t on t.id = c.ticket_id
     where c.child_involved and c.acknowledged_at is null and c.child_escalated_at is null
       and c.acknowledge_by <= p_now
     order by c.acknowledge_by
     for update of c skip locked
  loop
    v_backup := private.backup_liaison(v_case.tenant_id, v_case.assigned_to);
    v_admins := array(select p.id from public.profiles p
                       where p.tenant_id = v_case.tenant_id and p.role = 'admin'
                         and p.is_active and p.deleted_at is null
                       order by p.created_at, p.id);
    insert into public.child_case_escalations (ticket_id, tenant_id, acknowledge_by,
                                               escalated_at, assignee_id, backup_id, admin_ids)
    values (v_case.ticket_id, v_case.tenant_id, v_case.acknowledge_by, p_now,
            v_case.assigned_to, v_backup, v_admins)
    on conflict (ticket_id) do nothing;
    if not found then
      continue;
    end if;
    update public.protected_casework set child_escalated_at = p_now
     where ticket_id = v_case.ticket_id;

    insert into public.notification_outbox (tenant_id, recipient, template_key, language,
                                            variables)
    select v_case.tenant_id, p.phone, 'child_case_escalated', p.preferred_language,
           jsonb_build_object('tracking_number', v_case.tracking_number)
      from public.profiles p
     where p.id = any (array_prepend(v_backup, v_admins)) and p.phone is not null;
    get diagnostics v_queued = row_count;
    update public.child_case_escalations set notifications_queued = v_queued
     where ticket_id = v_case.ticket_id;

    foreach v_recipient in array array_remove(array_prepend(v_backup, v_admins), null) loop
      perform realtime.send(
        jsonb_build_object('ticket_id', v_case.ticket_id,
                           'tracking_number', v_case.tracking_number,
                           'acknowledge_by', v_case.acknowledge_by, 'escalated_at', p_now),
        'child_case_escalated', 'staff:' || v_recipient::text, true);
    end loop;
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

-- ---------------------------------------------------------------------
-- 6. A channel of one's own: staff:<user id> is received by that staff
-- member alone (0008's topics, unchanged, plus this one).
-- ---------------------------------------------------------------------
create or replace function private.may_receive_topic(channel text) returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(
    case
      when channel = 'municipality:' || (select private.tenant_id())::text
        then (select private.sees_all_non_sensitive())
      when channel = 'gbv:' || (select private.tenant_id())::text
        then (select private.sees_sensitive())
      when channel like 'team:%'
        then (select private.app_role()) = 'field_worker'
             and private.team_in_my_tenant(private.as_uuid(substr(channel, 6)), false)
             and private.as_uuid(substr(channel, 6)) = any ((select private.my_team_ids())::uuid[])
      when channel = 'staff:' || (select auth.uid())::text
        then (select private.is_staff())
      else false
    end,
    false)
$$;

-- ---------------------------------------------------------------------
-- Privileges: the triggers and the job are nobody's to call.
-- ---------------------------------------------------------------------
revoke all on function private.forget_child_answer_with_the_draft(),
  private.start_child_case_clock(), private.guard_dsd_referral(),
  private.open_child_referral(), private.deidentify_child_referral(),
  private.backup_liaison(uuid, uuid), private.child_alerts_only_to_staff(),
  private.escalate_unacknowledged_child_cases(timestamptz)
  from public, anon, authenticated, service_role;
grant execute on function private.escalate_unacknowledged_child_cases(timestamptz)
  to service_role;

-- ---------------------------------------------------------------------
-- Schedule: every minute, where pg_cron runs (a deadline is missed by at
-- most a minute before the backup hears of it).
-- ---------------------------------------------------------------------
select private.schedule('salga-child-acknowledgement', '* * * * *',
                        'select private.escalate_unacknowledged_child_cases()');

-- =====================================================================
-- Texts (approved platform defaults), English, isiZulu and Afrikaans.
-- The wording stays neutral: no word of what happened, nothing a person
-- looking over a shoulder would read as a report to the police.
-- =====================================================================
insert into public.message_template_keys (template_key, kind, variables) values
  ('child_notice', 'conversation', array[]::text[]),
  ('child_question', 'conversation', array[]::text[]),
  ('child_noted', 'conversation', array[]::text[]),
  ('child_case_escalated', 'notification', array['tracking_number']::text[]);

insert into public.message_templates (template_key, language, body, status) values
  ('child_notice', 'en', 'Reports that involve a child (anyone under 18) are always passed on to the SAPS liaison officers, as the law requires.', 'approved'),
  ('child_notice', 'zu', 'Imibiko ethinta ingane (noma ubani ongaphansi kweminyaka engu-18) ihlala idluliselwa ezikhulwini zokuxhumana ze-SAPS, njengoba umthetho ufuna.', 'approved'),
  ('child_notice', 'af', 'Verslae wat ''n kind (enigiemand onder 18) raak, word altyd aan die SAPS-skakelbeamptes oorgegee, soos die wet vereis.', 'approved'),
  ('child_question', 'en', 'Is a child (under 18) involved or at risk? Reply 1 for yes, or 2 for no.', 'approved'),
  ('child_question', 'zu', 'Ingabe ikhona ingane (engaphansi kweminyaka engu-18) ethintekayo noma esengozini? Phendula ngo-1 uma kunjalo, noma ngo-2 uma kungenjalo.', 'approved'),
  ('child_question', 'af', 'Is ''n kind (onder 18) betrokke of in gevaar? Antwoord 1 vir ja, of 2 vir nee.', 'approved'),
  ('child_noted', 'en', 'Thank you for telling us. The child''s safety comes first: this report will be handled urgently.', 'approved'),
  ('child_noted', 'zu', 'Siyabonga ngokusitshela. Ukuphepha kwengane kuza kuqala: lo mbiko uzosingathwa ngokushesha.', 'approved'),
  ('child_noted', 'af', 'Dankie dat jy ons vertel het. Die kind se veiligheid kom eerste: hierdie verslag word dringend hanteer.', 'approved'),
  ('child_case_escalated', 'en', 'Urgent: protected report {tracking_number} involves a child and was not acknowledged within 15 minutes. Please open it on the dashboard and acknowledge it now.', 'approved'),
  ('child_case_escalated', 'zu', 'Kuphuthumile: umbiko ovikelekile {tracking_number} uthinta ingane, futhi akekho oqinisekise ukuthi uwutholile phakathi kwemizuzu engu-15. Sicela uwuvule kudeshibhodi manje uqinisekise ukuthi uwutholile.', 'approved'),
  ('child_case_escalated', 'af', 'Dringend: beskermde verslag {tracking_number} raak ''n kind en is nie binne 15 minute erken nie. Maak dit asseblief nou op die paneelbord oop en erken dit.', 'approved');

-- The emergency wording every protected reply carries now names Childline
-- too: a new version of each language (versions are never edited), drafted
-- and then approved, which retires the version it replaces.
insert into public.message_templates (template_key, language, body, status) values
  ('emergency', 'en', 'If you are in danger right now, call 10111 (SAPS) or the 24-hour Command Centre on 0800 428 428. If a child needs help, call Childline on 116 (free, day and night).', 'draft'),
  ('emergency', 'zu', 'Uma usengozini manje, shayela u-10111 (SAPS) noma i-Command Centre esebenza amahora angu-24 ku-0800 428 428. Uma ingane idinga usizo, shayela i-Childline ku-116 (mahhala, emini nasebusuku).', 'draft'),
  ('emergency', 'af', 'As jy nou in gevaar is, bel 10111 (SAPS) of die 24-uur-bevelsentrum by 0800 428 428. As ''n kind hulp nodig het, bel Childline by 116 (gratis, dag en nag).', 'draft');
update public.message_templates set status = 'approved'
 where tenant_id is null and template_key = 'emergency' and status = 'draft'
   and language in ('en', 'zu', 'af') and body like '%Childline%116%';

-- =====================================================================
-- isiXhosa ('xh') texts for the keys above. They apply once isiXhosa is a
-- language of the platform (the languages table); until then this block
-- does nothing, so it may run before or after the migration that adds it.
-- =====================================================================
do $$
declare
  v_has_xh boolean := false;
begin
  if to_regclass('public.languages') is not null then
    execute 'select exists (select 1 from public.languages where code = ''xh'')' into v_has_xh;
  end if;
  if not v_has_xh then
    return;
  end if;
  insert into public.message_templates (template_key, language, body, status) values
    ('child_notice', 'xh', 'Iingxelo ezichaphazela umntwana (nabani na ongaphantsi kweminyaka eli-18) zisoloko zidluliselwa kumagosa onxibelelwano e-SAPS, njengoko umthetho ufuna.', 'approved'),
    ('child_question', 'xh', 'Ingaba ukhona umntwana (ongaphantsi kweminyaka eli-18) ochaphazelekayo okanye osemngciphekweni? Phendula ngo-1 ukuba kunjalo, okanye ngo-2 ukuba akunjalo.', 'approved'),
    ('child_noted', 'xh', 'Enkosi ngokusixelela. Ukhuseleko lomntwana luza kuqala: le ngxelo iza kusingathwa ngokukhawuleza.', 'approved'),
    ('child_case_escalated', 'xh', 'Ngxamisekileyo: ingxelo ekhuselweyo {tracking_number} ichaphazela umntwana, kwaye akukho mntu uqinisekise ukuba uyifumene kwimizuzu eli-15. Nceda uyivule kwideshibhodi ngoku uqinisekise ukuba uyifumene.', 'approved'),
    ('emergency', 'xh', 'Ukuba usemngciphekweni ngoku, tsalela u-10111 (SAPS) okanye iZiko loLawulo elisebenza iiyure ezingama-24 ku-0800 428 428. Ukuba umntwana udinga uncedo, tsalela iChildline ku-116 (simahla, emini nasebusuku).', 'draft');
  update public.message_templates set status = 'approved'
   where tenant_id is null and template_key = 'emergency' and status = 'draft'
     and language = 'xh' and body like '%Childline%116%';
end
$$;
