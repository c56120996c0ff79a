-- =====================================================================
-- 0019 Replies to the citizen
-- Staff answer a reporter with a response text from the message library
-- ("reply" texts, approved like every other text); the reply is queued in
-- the notification outbox in the reporter's language, as the staff member
-- who sent it (audited like every outbox row). A protected report is
-- answered only by a SAPS liaison or an admin, and only when the person
-- asked to be contacted on WhatsApp; otherwise the rule of 0006 stands:
-- the reporter of a protected report is never messaged first.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Reply texts: a kind of their own, so no conversation prompt, notice or
-- label can be sent to a citizen as a "reply". Neutral wording: the same
-- texts may answer a protected report.
-- ---------------------------------------------------------------------
alter table public.message_template_keys
  drop constraint message_template_keys_kind_check,
  add constraint message_template_keys_kind_check
    check (kind in ('conversation', 'notification', 'notice', 'label', 'words', 'reply'));

insert into public.message_template_keys (template_key, kind, variables) values
  ('reply_received', 'reply', array['tracking_number']::text[]),
  ('reply_more_information', 'reply', array['tracking_number']::text[]),
  ('reply_team_on_the_way', 'reply', array['tracking_number']::text[]),
  ('reply_fixed_check', 'reply', array['tracking_number']::text[]);

insert into public.message_templates (template_key, language, body, status) values
  ('reply_received', 'en', 'About your report {tracking_number}: we have it, and a team is looking into it.', 'approved'),
  ('reply_received', 'zu', 'Mayelana nombiko wakho {tracking_number}: siwutholile, futhi ithimba liyawuhlola.', 'approved'),
  ('reply_received', 'af', 'Oor jou verslag {tracking_number}: ons het dit ontvang, en ''n span kyk daarna.', 'approved'),
  ('reply_more_information', 'en', 'About your report {tracking_number}: we need a little more information. Please reply to this message with more details.', 'approved'),
  ('reply_more_information', 'zu', 'Mayelana nombiko wakho {tracking_number}: sidinga eminye imininingwane. Sicela uphendule lo myalezo ngemininingwane eyengeziwe.', 'approved'),
  ('reply_more_information', 'af', 'Oor jou verslag {tracking_number}: ons het nog ''n bietjie inligting nodig. Antwoord asseblief hierdie boodskap met meer besonderhede.', 'approved'),
  ('reply_team_on_the_way', 'en', 'About your report {tracking_number}: a team has been sent and will be there soon.', 'approved'),
  ('reply_team_on_the_way', 'zu', 'Mayelana nombiko wakho {tracking_number}: ithimba selithunyelwe futhi lizofika maduze.', 'approved'),
  ('reply_team_on_the_way', 'af', 'Oor jou verslag {tracking_number}: ''n span is gestuur en sal binnekort daar wees.', 'approved'),
  ('reply_fixed_check', 'en', 'About your report {tracking_number}: we believe this is fixed. If it is not, reply to this message.', 'approved'),
  ('reply_fixed_check', 'zu', 'Mayelana nombiko wakho {tracking_number}: sikholwa ukuthi sekulungisiwe. Uma kungenjalo, phendula lo myalezo.', 'approved'),
  ('reply_fixed_check', 'af', 'Oor jou verslag {tracking_number}: ons glo dit is reggemaak. As dit nie is nie, antwoord hierdie boodskap.', 'approved'),
  ('reply_received', 'xh', 'Malunga nengxelo yakho {tracking_number}: siyifumene, kwaye iqela liyayiphanda.', 'approved'),
  ('reply_more_information', 'xh', 'Malunga nengxelo yakho {tracking_number}: sidinga iinkcukacha ezingakumbi. Nceda uphendule lo myalezo ngeenkcukacha ezongezelelweyo.', 'approved'),
  ('reply_team_on_the_way', 'xh', 'Malunga nengxelo yakho {tracking_number}: iqela lithunyelwe kwaye liza kufika kungekudala.', 'approved'),
  ('reply_fixed_check', 'xh', 'Malunga nengxelo yakho {tracking_number}: sikholelwa ukuba sekulungisiwe. Ukuba akunjalo, phendula lo myalezo.', 'approved');

-- ---------------------------------------------------------------------
-- A retried reply is one reply: the page sends a fresh key with each reply
-- it means, and the same key on the same ticket finds the queued row.
-- ---------------------------------------------------------------------
alter table public.notification_outbox add column reply_key uuid;
comment on column public.notification_outbox.reply_key is
  'Set on staff replies: the key the sender chose, so a retried reply is queued once.';
create unique index notification_outbox_reply_key
  on public.notification_outbox (ticket_id, reply_key) where reply_key is not null;

-- ---------------------------------------------------------------------
-- The one exception to "never message the reporter of a protected report
-- first": a reply text, sent by a SAPS liaison or an admin of the ticket's
-- municipality, to a person who asked to be contacted on WhatsApp. Every
-- other row about a protected report is still dropped (workers and triggers
-- carry no staff claims, so they never qualify).
-- ---------------------------------------------------------------------
create or replace function private.drop_sensitive_notifications() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.ticket_id is not null and exists (
       select 1 from public.tickets t where t.id = new.ticket_id and t.is_sensitive)
     and not (
       new.reply_key is not null
       and coalesce(private.app_role() in ('saps_liaison', 'admin'), false)
       and new.tenant_id = private.tenant_id()
       and exists (select 1 from public.message_template_keys k
                    where k.template_key = new.template_key and k.kind = 'reply')
       and exists (select 1 from public.protected_casework c
                    where c.ticket_id = new.ticket_id and c.contact_preference = 'whatsapp'))
  then
    return null;
  end if;
  return new;
end
$$;
revoke all on function private.drop_sensitive_notifications() from public, authenticated;

-- ---------------------------------------------------------------------
-- Reply: staff who may work the ticket (managers, SAPS liaisons, admins;
-- a ticket the caller cannot see does not exist for them), an approved
-- reply text, the reporter's WhatsApp number and language. Security
-- definer because users never write the outbox themselves; it answers
-- nothing about a ticket the caller cannot read.
-- ---------------------------------------------------------------------
-- The reply already queued under this key on this ticket (a retry), if any,
-- as {id, language, status}; the same key for another text on the ticket is
-- a mistake, not a retry.
create function private.queued_reply(p_ticket_id uuid, p_reply_key uuid, p_template_key text)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_row public.notification_outbox;
begin
  select * into v_row from public.notification_outbox o
   where o.ticket_id = p_ticket_id and o.reply_key = p_reply_key;
  if not found then
    return null;
  end if;
  if v_row.template_key <> p_template_key then
    raise exception 'reply_key: already used for another reply on this ticket'
      using errcode = 'SA409';
  end if;
  return jsonb_build_object('id', v_row.id, 'language', v_row.language, 'status', v_row.status);
end
$$;
revoke all on function private.queued_reply(uuid, uuid, text) from public, anon, authenticated;

create function public.reply_to_reporter(p_ticket_id uuid, p_template_key text,
                                         p_reply_key uuid)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_ticket public.tickets;
  v_phone text;
  v_language text;
  v_queued jsonb;
begin
  if coalesce(private.app_role(), '') not in ('manager', 'saps_liaison', 'admin') then
    raise exception 'only a manager, a liaison or an admin replies to a reporter'
      using errcode = 'SA403';
  end if;
  if p_reply_key is null then
    raise exception 'reply_key: give a fresh key with each reply' using errcode = 'SA422';
  end if;
  select * into v_ticket from public.tickets t
   where t.id = p_ticket_id and t.tenant_id = private.tenant_id();
  if not found or not private.can_see_ticket(p_ticket_id) then
    raise exception 'ticket not found' using errcode = 'SA404';
  end if;
  v_queued := private.queued_reply(p_ticket_id, p_reply_key, p_template_key);
  if v_queued is not null then
    return v_queued;  -- a retry: already queued
  end if;
  if not exists (select 1 from public.message_template_keys k
                  where k.template_key = p_template_key and k.kind = 'reply')
     or private.current_template_id(v_ticket.tenant_id, p_template_key, 'en') is null then
    raise exception 'template_key: % is not an approved reply text', p_template_key
      using errcode = 'SA422';
  end if;
  if v_ticket.is_sensitive and not exists (
       select 1 from public.protected_casework c
        where c.ticket_id = p_ticket_id and c.contact_preference = 'whatsapp') then
    raise exception 'this person has not asked to be contacted on WhatsApp'
      using errcode = 'SA409';
  end if;
  select p.phone, p.preferred_language into v_phone, v_language
    from public.profiles p
   where p.id = v_ticket.reporter_id and p.phone is not null and p.deleted_at is null;
  if v_phone is null then
    raise exception 'the reporter has no WhatsApp number to reply to' using errcode = 'SA409';
  end if;
  insert into public.notification_outbox (tenant_id, ticket_id, recipient, template_key,
                                          language, variables, reply_key)
  values (v_ticket.tenant_id, p_ticket_id, v_phone, p_template_key,
          case when v_language in ('en', 'zu', 'af') then v_language else 'en' end,
          jsonb_build_object('tracking_number', v_ticket.tracking_number), p_reply_key)
  on conflict (ticket_id, reply_key) where reply_key is not null do nothing;
  -- Nothing inserted: a concurrent retry queued it first, or a trigger dropped it
  -- (the person restricted processing, POPIA s14).
  v_queued := private.queued_reply(p_ticket_id, p_reply_key, p_template_key);
  if v_queued is null then
    raise exception 'this person may not be messaged now' using errcode = 'SA409';
  end if;
  return v_queued;
end
$$;

revoke all on function public.reply_to_reporter(uuid, text, uuid) from public, anon;
grant execute on function public.reply_to_reporter(uuid, text, uuid) to authenticated;
