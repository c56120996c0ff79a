-- =====================================================================
-- 0017 WhatsApp: voice notes and videos, "not fixed", typed addresses,
-- interactive messages
--   * voice notes, videos and documents are kept as evidence beside the
--     photos; each queued file knows its kind, so only images count as
--     photos, and the worker applies WhatsApp's own size limits per kind;
--   * a reporter who says a resolved report is not fixed reopens it (within
--     14 days of the resolution; the database decides), with their words as
--     the reason, and the team hears of it; later, a new report is filed and
--     linked to the old one (tickets.follows_up);
--   * a typed address the municipality's places do not know is answered
--     with one request for a pin (whatsapp_conversations.asked_for_pin);
--   * replies sent as interactive messages (Twilio Content API) are marked
--     on the inbound log, so a retried delivery is not answered twice;
--   * the texts of all this, in the message library.
-- Only the service role (webhook and workers) uses the WhatsApp tables; no
-- grant to API users changes here.
-- =====================================================================

-- ---------------------------------------------------------------------
-- Media kinds. A voice note or a video is evidence, not a photo: it is
-- stored as it came (no image processing), it does not use up the photo
-- allowance, and its size limit is WhatsApp's for its kind.
-- ---------------------------------------------------------------------
alter table public.whatsapp_media_jobs
  add column media_kind text not null default 'image'
    check (media_kind in ('image', 'audio', 'video', 'document')),
  add column declared_type text check (length(declared_type) <= 100);
comment on column public.whatsapp_media_jobs.media_kind is
  'What Twilio said the file is (MediaContentType); the worker checks the bytes agree.';

-- WhatsApp carries voice notes as Ogg/Opus or AMR (MP3, AAC and M4A from
-- older phones) and videos as MP4 or 3GPP, up to 16 MB; the evidence
-- buckets take them. (WhatsApp allows documents up to 100 MB; evidence
-- stays at 16 MB a file, and a larger document is refused politely.)
update storage.buckets
   set file_size_limit = case id when 'evidence' then 16777216 else 20971520 end,
       allowed_mime_types = array['image/jpeg', 'image/png', 'image/webp', 'image/heic',
                                  'video/mp4', 'video/3gpp', 'audio/ogg', 'audio/mpeg',
                                  'audio/amr', 'audio/aac', 'audio/mp4', 'application/pdf']
 where id in ('evidence', 'gbv-evidence');

-- ---------------------------------------------------------------------
-- A typed address that matched no place gets one request for a pin; the
-- flag is part of the draft and cleared with it.
-- ---------------------------------------------------------------------
alter table public.whatsapp_conversations
  add column asked_for_pin boolean not null default false;

-- ---------------------------------------------------------------------
-- A reply sent as an interactive message (buttons, a list) went out
-- through the Messages API, not in the webhook's answer: its MessageSid is
-- kept, and a retried delivery of the same inbound message answers empty.
-- ---------------------------------------------------------------------
alter table public.whatsapp_inbound_messages
  add column reply_message_sid text check (reply_message_sid ~ '^[A-Za-z0-9]{10,64}$');

-- ---------------------------------------------------------------------
-- A report filed because an older one is "still not fixed" after its
-- reopening window: the link lets staff see the history of the fault.
-- ---------------------------------------------------------------------
alter table public.tickets
  add column follows_up uuid references public.tickets (id) on delete set null;
comment on column public.tickets.follows_up is
  'The earlier report this one continues (the reporter said it was not fixed).';
create index tickets_follows_up_idx on public.tickets (follows_up) where follows_up is not null;

-- ---------------------------------------------------------------------
-- "Not fixed": the reporter's latest ordinary report decides.
--   resolved within 14 days  -> reopened (resolved -> in_progress through
--                               the status rules of 0004), the words kept as
--                               the audited reason, the team told live;
--   still open               -> nothing changes ('open');
--   resolved or closed later -> 'follow_up': the caller files a new report
--                               linked to it.
-- Protected reports are never reopened this way (their reporter is never
-- contacted about them, and nothing here may reveal one). Service role
-- only: the webhook calls it for the number that wrote.
-- ---------------------------------------------------------------------
create function private.reopen_for_reporter(p_tenant_id uuid, p_reporter_id uuid,
  p_words text, p_window interval default interval '14 days')
returns table (outcome text, ticket_id uuid, tracking_number text, status text)
language plpgsql
set search_path = ''
as $$
declare
  v public.tickets;
  v_reason text := left('Reopened by the reporter over WhatsApp: "'
                        || btrim(coalesce(p_words, '')) || '"', 500);
begin
  select t.* into v from public.tickets t
   where t.tenant_id = p_tenant_id and t.reporter_id = p_reporter_id and not t.is_sensitive
     and t.duplicate_of is null
   order by t.updated_at desc, t.created_at desc
   limit 1
   for update;
  if not found then
    return;
  end if;
  if v.status in ('open', 'in_progress', 'escalated') then
    return query select 'open'::text, v.id, v.tracking_number, v.status;
    return;
  end if;
  if v.status = 'resolved' and v.resolved_at >= now() - p_window then
    perform set_config('salga.change_reason', v_reason, true);
    update public.tickets set status = 'in_progress' where id = v.id;
    perform set_config('salga.change_reason', '', true);
    -- The ticket_changed events of 0008 carry the new status; this one tells
    -- the team why, on the topics that already hear of the ticket.
    perform realtime.send(
      jsonb_build_object('id', v.id, 'tracking_number', v.tracking_number,
                         'status', 'in_progress', 'reason', v_reason),
      'ticket_reopened', 'municipality:' || v.tenant_id::text, true);
    if v.assigned_team_id is not null then
      perform realtime.send(
        jsonb_build_object('id', v.id, 'tracking_number', v.tracking_number,
                           'status', 'in_progress', 'reason', v_reason),
        'ticket_reopened', 'team:' || v.assigned_team_id::text, true);
    end if;
    return query select 'reopened'::text, v.id, v.tracking_number, 'in_progress'::text;
    return;
  end if;
  return query select 'follow_up'::text, v.id, v.tracking_number, v.status;
end
$$;
revoke all on function private.reopen_for_reporter(uuid, uuid, text, interval)
  from public, anon, authenticated;
grant execute on function private.reopen_for_reporter(uuid, uuid, text, interval)
  to service_role;

-- ---------------------------------------------------------------------
-- Texts. words_not_fixed is data, not code: the phrases (commas, as in every words_ list)
-- that say a report is not fixed, matched in every language at once, so a
-- municipality can add its own and a new language needs only its row.
-- ---------------------------------------------------------------------
insert into public.message_template_keys (template_key, kind, variables) values
  ('words_not_fixed', 'words', array[]::text[]),
  ('reopened', 'conversation', array['tracking_number']::text[]),
  ('reopen_new_report', 'conversation', array['previous', 'tracking_number']::text[]),
  ('reopen_still_open', 'conversation', array['status', 'tracking_number']::text[]),
  ('media_kept_ask_description', 'conversation', array[]::text[]),
  ('media_kept', 'conversation', array[]::text[]),
  ('media_not_accepted', 'conversation', array[]::text[]),
  ('media_too_large', 'notification', array['limit_mb', 'tracking_number']::text[]),
  ('address_found', 'conversation', array['place']::text[]),
  ('address_not_found', 'conversation', array[]::text[]),
  ('button_yes', 'label', array[]::text[]),
  ('button_no', 'label', array[]::text[]),
  ('button_choose', 'label', array[]::text[]),
  ('language_name', 'label', array[]::text[]);

insert into public.message_templates (template_key, language, body, status) values
  ('words_not_fixed', 'en', 'not fixed, not yet fixed, is not fixed, isn''t fixed, still not fixed, still not working, still broken, still leaking, still no water, still no electricity, still no power, not repaired, not resolved, nothing was fixed, nothing has been done', 'approved'),
  ('words_not_fixed', 'zu', 'akulungisiwe, akulungiswanga, ayilungisiwe, ayilungiswanga, akukalungiswa, ayikalungiswa, kusavuza, isavuza, kusaphukile, akukalungi', 'approved'),
  ('words_not_fixed', 'af', 'nie reg nie, nog nie reg nie, nie reggemaak nie, nog nie reggemaak nie, nie herstel nie, lek steeds, lek nog, steeds stukkend, nog steeds stukkend, werk steeds nie', 'approved'),
  ('reopened', 'en', 'We are sorry it is not fixed. Report {tracking_number} is open again and the team has been told. Reply "status {tracking_number}" to follow it.', 'approved'),
  ('reopened', 'zu', 'Siyaxolisa ukuthi akukalungiswa. Umbiko {tracking_number} uvuliwe futhi, nethimba selitsheliwe. Phendula ngokuthi "isimo {tracking_number}" ukuze uwulandelele.', 'approved'),
  ('reopened', 'af', 'Ons is jammer dit is nie reg nie. Verslag {tracking_number} is weer oop en die span is ingelig. Antwoord "status {tracking_number}" om dit te volg.', 'approved'),
  ('reopen_new_report', 'en', 'Report {previous} was closed some time ago, so we have filed a new report, {tracking_number}, linked to it. The team has been told.', 'approved'),
  ('reopen_new_report', 'zu', 'Umbiko {previous} wavalwa kudala, ngakho sifake umbiko omusha, {tracking_number}, oxhumene nawo. Ithimba selitsheliwe.', 'approved'),
  ('reopen_new_report', 'af', 'Verslag {previous} is al ''n ruk gelede gesluit, daarom het ons ''n nuwe verslag, {tracking_number}, ingedien wat daaraan gekoppel is. Die span is ingelig.', 'approved'),
  ('reopen_still_open', 'en', 'Report {tracking_number} is still open ({status}); the team is working on it. Thank you for telling us.', 'approved'),
  ('reopen_still_open', 'zu', 'Umbiko {tracking_number} usavulekile ({status}); ithimba liyawusebenza. Siyabonga ngokusitshela.', 'approved'),
  ('reopen_still_open', 'af', 'Verslag {tracking_number} is nog oop ({status}); die span werk daaraan. Dankie dat jy ons laat weet.', 'approved'),
  ('media_kept_ask_description', 'en', 'Thank you, we will keep your recording with the report. Please also type a short description: what is wrong, and since when?', 'approved'),
  ('media_kept_ask_description', 'zu', 'Siyabonga, sizoyigcina irekhodi yakho nombiko. Sicela futhi ubhale incazelo emfushane: yini engahambi kahle, futhi kusukela nini?', 'approved'),
  ('media_kept_ask_description', 'af', 'Dankie, ons hou jou opname by die verslag. Tik asseblief ook ''n kort beskrywing: wat is fout, en sedert wanneer?', 'approved'),
  ('media_kept', 'en', 'Thank you, we will keep it with your report. Send more, or reply 1 when you are done.', 'approved'),
  ('media_kept', 'zu', 'Siyabonga, sizokugcina nombiko wakho. Thumela okunye, noma uphendule ngo-1 uma usuqedile.', 'approved'),
  ('media_kept', 'af', 'Dankie, ons hou dit by jou verslag. Stuur nog, of antwoord 1 as jy klaar is.', 'approved'),
  ('media_not_accepted', 'en', 'Sorry, we cannot keep this kind of file. Please send photos, voice notes, videos or PDF documents.', 'approved'),
  ('media_not_accepted', 'zu', 'Uxolo, asikwazi ukugcina lolu hlobo lwefayela. Sicela uthumele izithombe, amazwi aqoshiwe, amavidiyo noma amadokhumenti e-PDF.', 'approved'),
  ('media_not_accepted', 'af', 'Jammer, ons kan nie hierdie soort lêer hou nie. Stuur asseblief foto''s, stemnotas, video''s of PDF-dokumente.', 'approved'),
  ('media_too_large', 'en', 'A file you sent with report {tracking_number} was larger than WhatsApp allows ({limit_mb} MB), so we could not keep it. The rest of your report was received.', 'approved'),
  ('media_too_large', 'zu', 'Ifayela othumele nombiko {tracking_number} belilikhulu kunalokho i-WhatsApp ekuvumelayo ({limit_mb} MB), ngakho asikwazanga ukuyigcina. Okunye kombiko wakho kutholakele.', 'approved'),
  ('media_too_large', 'af', '''n Lêer wat jy saam met verslag {tracking_number} gestuur het, was groter as wat WhatsApp toelaat ({limit_mb} MB), daarom kon ons dit nie hou nie. Die res van jou verslag is ontvang.', 'approved'),
  ('address_found', 'en', 'We found {place} and will send the report to the team for that area.', 'approved'),
  ('address_found', 'zu', 'Sithole u-{place}, futhi sizothumela umbiko ethimbeni lendawo leyo.', 'approved'),
  ('address_found', 'af', 'Ons het {place} gevind en stuur die verslag na die span vir daardie gebied.', 'approved'),
  ('address_not_found', 'en', 'We could not find that place on the municipality''s map. Please share your location pin (tap the paperclip, then Location). If you cannot, type the address again with the suburb.', 'approved'),
  ('address_not_found', 'zu', 'Asiyitholanga leyo ndawo emephini kamasipala. Sicela uthumele indawo okuyo (cindezela isiqeshana sephepha, bese uthi Indawo). Uma ungakwazi, phinda ubhale ikheli kanye negama lendawo.', 'approved'),
  ('address_not_found', 'af', 'Ons kon nie daardie plek op die munisipaliteit se kaart vind nie. Deel asseblief jou liggingspeld (tik op die skuifspeld, dan Ligging). As jy nie kan nie, tik die adres weer met die voorstad.', 'approved'),
  ('button_yes', 'en', 'Yes', 'approved'),
  ('button_yes', 'zu', 'Yebo', 'approved'),
  ('button_yes', 'af', 'Ja', 'approved'),
  ('button_no', 'en', 'No', 'approved'),
  ('button_no', 'zu', 'Cha', 'approved'),
  ('button_no', 'af', 'Nee', 'approved'),
  ('button_choose', 'en', 'Choose', 'approved'),
  ('button_choose', 'zu', 'Khetha', 'approved'),
  ('button_choose', 'af', 'Kies', 'approved'),
  ('language_name', 'en', 'English', 'approved'),
  ('language_name', 'zu', 'isiZulu', 'approved'),
  ('language_name', 'af', 'Afrikaans', 'approved');

-- ---------------------------------------------------------------------
-- isiXhosa ('xh') texts of the keys above. isiXhosa becomes a language of
-- the library in its own migration; until that has run, the language check
-- refuses these rows and this block leaves them out (nothing else depends
-- on them: a missing language falls back to English).
-- ---------------------------------------------------------------------
do $$
begin
  insert into public.message_templates (template_key, language, body, status) values
    ('words_not_fixed', 'xh', 'ayilungiswanga, akulungiswanga, ayikalungiswa, akukalungiswa, isavuza, kusavuza, isaphukile, ayisebenzi nangoku', 'approved'),
    ('reopened', 'xh', 'Siyaxolisa ukuba ayikalungiswa. Ingxelo {tracking_number} ivuliwe kwakhona kwaye iqela lixelelwe. Phendula ngokuthi "status {tracking_number}" ukuze uyilandele.', 'approved'),
    ('reopen_new_report', 'xh', 'Ingxelo {previous} yavalwa kwixesha elidlulileyo, ngoko sifake ingxelo entsha, {tracking_number}, edityaniswe nayo. Iqela lixelelwe.', 'approved'),
    ('reopen_still_open', 'xh', 'Ingxelo {tracking_number} isavuliwe ({status}); iqela liyayisebenza. Enkosi ngokusixelela.', 'approved'),
    ('media_kept_ask_description', 'xh', 'Enkosi, siza kuyigcina irekhodi yakho kunye nengxelo. Nceda ubhale nenkcazelo emfutshane: yintoni engalunganga, kwaye ukususela nini?', 'approved'),
    ('media_kept', 'xh', 'Enkosi, siza kuyigcina kunye nengxelo yakho. Thumela ezinye, okanye uphendule ngo-1 xa ugqibile.', 'approved'),
    ('media_not_accepted', 'xh', 'Uxolo, asinakuyigcina le ntlobo yefayile. Nceda uthumele iifoto, amazwi arekhodiweyo, iividiyo okanye amaxwebhu e-PDF.', 'approved'),
    ('media_too_large', 'xh', 'Ifayile oyithumele nengxelo {tracking_number} ibinkulu kunoko i-WhatsApp ikuvumelayo ({limit_mb} MB), ngoko asikwazanga ukuyigcina. Ingxelo yakho yonke ifikile.', 'approved'),
    ('address_found', 'xh', 'Siyifumene i-{place}, kwaye siza kuthumela ingxelo kwiqela laloo ndawo.', 'approved'),
    ('address_not_found', 'xh', 'Asiyifumananga loo ndawo kwimaphu kamasipala. Nceda wabelane ngendawo okuyo (cofa isiqhoboshi, emva koko uthi Indawo). Ukuba awukwazi, phinda ubhale idilesi kunye negama lendawo.', 'approved'),
    ('button_yes', 'xh', 'Ewe', 'approved'),
    ('button_no', 'xh', 'Hayi', 'approved'),
    ('button_choose', 'xh', 'Khetha', 'approved'),
    ('language_name', 'xh', 'isiXhosa', 'approved');
exception when check_violation then
  raise notice 'isiXhosa is not a library language yet: its texts of 0017 wait for it';
end
$$;
