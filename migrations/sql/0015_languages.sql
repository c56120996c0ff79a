-- =====================================================================
-- 0015 Languages as data
-- The languages the platform speaks are rows, not a list repeated in eight
-- check constraints and the code: a language is offered when it has a row
-- here and its texts in the message library (no code change, no migration
-- of the schema). isiXhosa joins English, isiZulu and Afrikaans. The words
-- people use to answer (yes/no, greetings, thanks, the names of problems,
-- commands) live in the library too, per language, so that a new language
-- brings its own words as data.
-- =====================================================================

-- ---------------------------------------------------------------------
-- The languages. `code` is what every other table stores (ISO 639-1 where
-- there is one); `name` is the language's name in itself, as the language
-- menu shows it; `aliases` are other ways people name it when choosing
-- ("zulu", "xhosa"); `menu_order` is its number on the language menu.
-- A language is never deleted (reports and consents keep citing it): it is
-- switched off with `active`.
-- ---------------------------------------------------------------------
create table public.languages (
  code text primary key check (code ~ '^[a-z]{2,3}$'),
  name text not null check (length(btrim(name)) between 1 and 60),
  aliases text[] not null default '{}',
  menu_order integer not null unique check (menu_order between 1 and 99),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid
);
comment on table public.languages is
  'The languages citizens can be served in; texts for each come from the message library.';

create trigger stamp_row before insert or update on public.languages
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.languages
  for each row execute function private.audit_row('code');

insert into public.languages (code, name, aliases, menu_order) values
  ('en', 'English', array['english', 'eng', 'engels', 'isingisi', 'isinghesi'], 1),
  ('zu', 'isiZulu', array['isizulu', 'zulu', 'zoeloe'], 2),
  ('af', 'Afrikaans', array['afrikaans', 'afr', 'isibhulu'], 3),
  ('xh', 'isiXhosa', array['isixhosa', 'xhosa', 'xhosa language'], 4);

-- Everyone signed in may read which languages exist (a profile's language
-- picker); only the platform (service role, migrations) changes them.
revoke all on public.languages from anon, authenticated;
grant all on public.languages to service_role;
grant select on public.languages to authenticated;
alter table public.languages enable row level security;
alter table public.languages force row level security;
create policy "Signed-in users read the languages the platform speaks"
  on public.languages for select to authenticated
  using (true);

-- ---------------------------------------------------------------------
-- Every column that held one of the three codes now refers to the table:
-- a fifth language is an insert, not a schema change.
-- ---------------------------------------------------------------------
alter table public.profiles drop constraint profiles_preferred_language_check,
  add constraint profiles_preferred_language_fkey foreign key (preferred_language)
    references public.languages (code);
alter table public.tickets drop constraint tickets_language_check,
  add constraint tickets_language_fkey foreign key (language) references public.languages (code);
alter table public.consent_records drop constraint consent_records_language_check,
  add constraint consent_records_language_fkey foreign key (language)
    references public.languages (code);
alter table public.notification_outbox drop constraint notification_outbox_language_check,
  add constraint notification_outbox_language_fkey foreign key (language)
    references public.languages (code);
alter table public.whatsapp_conversations drop constraint whatsapp_conversations_language_check,
  add constraint whatsapp_conversations_language_fkey foreign key (language)
    references public.languages (code);
alter table public.whatsapp_templates drop constraint whatsapp_templates_language_check,
  add constraint whatsapp_templates_language_fkey foreign key (language)
    references public.languages (code);
alter table public.message_templates drop constraint message_templates_language_check,
  add constraint message_templates_language_fkey foreign key (language)
    references public.languages (code);
-- Foreign keys are checked through these indexes when a language changes.
create index profiles_preferred_language_idx on public.profiles (preferred_language);
create index tickets_language_idx on public.tickets (language);

-- ---------------------------------------------------------------------
-- A new person's language: any active language, else English (was a fixed
-- list). The rest of the function is 0009's, unchanged.
-- ---------------------------------------------------------------------
create or replace function private.handle_new_user() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_invite jsonb := coalesce(new.raw_app_meta_data -> 'salga_invite', 'null'::jsonb);
  v_user jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  v_code text;
  v_role text := 'citizen';
  v_tenant uuid;
  v_language text := coalesce(nullif(v_user ->> 'language', ''), 'en');
  v_name text := nullif(btrim(coalesce(v_user ->> 'full_name', '')), '');
begin
  if jsonb_typeof(v_invite) = 'object' then
    v_code := v_invite ->> 'municipality';
    v_role := coalesce(nullif(v_invite ->> 'role', ''), 'citizen');
    select m.id into v_tenant
      from public.municipalities m
     where m.id = private.as_uuid(v_invite ->> 'municipality_id') and m.is_active;
  else
    v_code := v_user ->> 'municipality';
  end if;
  if v_tenant is null then
    select m.id into v_tenant
      from public.municipalities m
     where m.code = upper(btrim(coalesce(v_code, ''))) and m.is_active;
  end if;
  if v_tenant is null
     or v_role not in ('citizen', 'field_worker', 'manager', 'admin', 'saps_liaison') then
    return null;
  end if;
  if not exists (select 1 from public.languages l where l.code = v_language and l.active) then
    v_language := 'en';
  end if;
  if v_name is not null and length(v_name) > 200 then
    v_name := left(v_name, 200);
  end if;
  insert into public.profiles (id, tenant_id, role, full_name, phone, preferred_language)
  values (new.id, v_tenant, v_role, v_name,
          case when new.phone ~ '^[1-9][0-9]{6,14}$' then '+' || new.phone
               when new.phone ~ '^\+[1-9][0-9]{6,14}$' then new.phone end,
          v_language)
  on conflict (id) do nothing;
  return null;
end
$$;
revoke all on function private.handle_new_user() from public, anon, authenticated, service_role;

-- =====================================================================
-- The message library
-- =====================================================================

-- ---------------------------------------------------------------------
-- New keys. `words` texts are never sent: each is a comma-separated list of
-- what people write to mean one thing (yes, no, hello, water ...), one list
-- per language. The conversation understands the words of every language at
-- once, since people mix them.
-- ---------------------------------------------------------------------
alter table public.message_template_keys drop constraint message_template_keys_kind_check,
  add constraint message_template_keys_kind_check
    check (kind in ('conversation', 'notification', 'notice', 'label', 'words'));

-- The language menu is built from the active languages: each offers itself
-- in its own words ({number} is its place on the menu).
update public.message_template_keys set variables = array['languages']::text[]
 where template_key = 'choose_language';

insert into public.message_template_keys (template_key, kind, variables) values
  ('language_choice', 'conversation', array['number']::text[]),
  ('greeting_reply', 'conversation', array[]::text[]),
  ('thanks_reply', 'conversation', array[]::text[]),
  ('category_guess', 'conversation', array['category']::text[]),
  ('description_kept', 'conversation', array['description']::text[]),
  ('reprompt_consent', 'conversation', array[]::text[]),
  ('reprompt_menu', 'conversation', array[]::text[]),
  ('reprompt_sensitive_consent', 'conversation', array[]::text[]),
  ('reprompt_confirm', 'conversation', array[]::text[]),
  ('reprompt_duplicate', 'conversation', array['tracking_number']::text[]),
  ('words_yes', 'words', array[]::text[]),
  ('words_no', 'words', array[]::text[]),
  ('words_greeting', 'words', array[]::text[]),
  ('words_thanks', 'words', array[]::text[]),
  ('words_done', 'words', array[]::text[]),
  ('words_category_water', 'words', array[]::text[]),
  ('words_category_electricity', 'words', array[]::text[]),
  ('words_category_roads', 'words', array[]::text[]),
  ('words_category_waste', 'words', array[]::text[]),
  ('words_category_sanitation', 'words', array[]::text[]),
  ('words_help', 'words', array[]::text[]),
  ('words_restart', 'words', array[]::text[]),
  ('words_stop', 'words', array[]::text[]),
  ('words_start', 'words', array[]::text[]),
  ('words_status', 'words', array[]::text[]),
  ('words_my_data', 'words', array[]::text[]),
  ('words_delete_my_data', 'words', array[]::text[]);

-- ---------------------------------------------------------------------
-- The language menu, version 2: the same welcome in all four, then one
-- line per active language (rendered from `language_choice`). Drafted and
-- then approved, so version 1 is retired by the library's own rule.
-- ---------------------------------------------------------------------
insert into public.message_templates (template_key, language, body, status)
select 'choose_language', l.code, 'Welcome! Sawubona! Molo! Welkom!
{languages}', 'draft'
  from public.languages l where l.code in ('en', 'zu', 'af');
update public.message_templates set status = 'approved', approval_note = 'isiXhosa added'
 where template_key = 'choose_language' and tenant_id is null and status = 'draft';

-- ---------------------------------------------------------------------
-- New texts in the three languages the library already spoke.
-- ---------------------------------------------------------------------
insert into public.message_templates (template_key, language, body, status) values
  ('language_choice', 'en', 'Reply {number} for English', 'approved'),
  ('language_choice', 'zu', 'Phendula ngo-{number} ukuze uthole isiZulu', 'approved'),
  ('language_choice', 'af', 'Antwoord {number} vir Afrikaans', 'approved'),
  ('greeting_reply', 'en', 'Hello!', 'approved'),
  ('greeting_reply', 'zu', 'Sawubona!', 'approved'),
  ('greeting_reply', 'af', 'Hallo!', 'approved'),
  ('thanks_reply', 'en', 'You are welcome. Send us a message any time you need us.', 'approved'),
  ('thanks_reply', 'zu', 'Akukho nkinga. Sithumelele umlayezo noma nini uma usidinga.', 'approved'),
  ('thanks_reply', 'af', 'Plesier. Stuur vir ons enige tyd ''n boodskap as jy ons nodig het.', 'approved'),
  ('category_guess', 'en', 'Is this about {category}? Reply 1 for yes, or 2 to choose from the list.', 'approved'),
  ('category_guess', 'zu', 'Ingabe lokhu kumayelana nalokhu: {category}? Phendula ngo-1 uma kunjalo, noma ngo-2 ukuze ukhethe ohlwini.', 'approved'),
  ('category_guess', 'af', 'Gaan dit oor {category}? Antwoord 1 vir ja, of 2 om uit die lys te kies.', 'approved'),
  ('description_kept', 'en', 'We will use what you wrote: "{description}"', 'approved'),
  ('description_kept', 'zu', 'Sizosebenzisa lokho okubhalile: "{description}"', 'approved'),
  ('description_kept', 'af', 'Ons gebruik wat jy geskryf het: "{description}"', 'approved'),
  ('reprompt_consent', 'en', 'Do you agree that we keep your details to handle your reports? Reply 1 for yes or 2 for no.', 'approved'),
  ('reprompt_consent', 'zu', 'Uyavuma yini ukuthi sigcine imininingwane yakho ukuze sisingathe imibiko yakho? Phendula ngo-1 uma uvuma noma ngo-2 uma ungavumi.', 'approved'),
  ('reprompt_consent', 'af', 'Stem jy in dat ons jou besonderhede hou om jou verslae te hanteer? Antwoord 1 vir ja of 2 vir nee.', 'approved'),
  ('reprompt_menu', 'en', 'Please reply with a number from 1 to 7, or a word such as water, electricity or roads.', 'approved'),
  ('reprompt_menu', 'zu', 'Sicela uphendule ngenombolo esuka ku-1 kuya ku-7, noma ngegama elifana nelithi amanzi, ugesi noma imigwaqo.', 'approved'),
  ('reprompt_menu', 'af', 'Antwoord asseblief met ''n nommer van 1 tot 7, of ''n woord soos water, krag of paaie.', 'approved'),
  ('reprompt_sensitive_consent', 'en', 'May we pass your report to the trained SAPS liaison officers so that they can help you? Reply 1 for yes or 2 for no.', 'approved'),
  ('reprompt_sensitive_consent', 'zu', 'Singawudlulisela umbiko wakho kuzikhulu zokuxhumana ze-SAPS eziqeqeshiwe ukuze zikusize? Phendula ngo-1 uma uvuma noma ngo-2 uma ungavumi.', 'approved'),
  ('reprompt_sensitive_consent', 'af', 'Mag ons jou verslag aan die opgeleide SAPS-skakelbeamptes deurgee sodat hulle jou kan help? Antwoord 1 vir ja of 2 vir nee.', 'approved'),
  ('reprompt_confirm', 'en', 'Reply 1 to send your report, or 2 to start again.', 'approved'),
  ('reprompt_confirm', 'zu', 'Phendula ngo-1 ukuze uthumele umbiko wakho, noma ngo-2 ukuze uqale kabusha.', 'approved'),
  ('reprompt_confirm', 'af', 'Antwoord 1 om jou verslag te stuur, of 2 om weer te begin.', 'approved'),
  ('reprompt_duplicate', 'en', 'Reply 1 to follow report {tracking_number}, or 2 to file a new one.', 'approved'),
  ('reprompt_duplicate', 'zu', 'Phendula ngo-1 ukuze ulandele umbiko {tracking_number}, noma ngo-2 ukuze ufake omusha.', 'approved'),
  ('reprompt_duplicate', 'af', 'Antwoord 1 om verslag {tracking_number} te volg, of 2 om ''n nuwe een in te dien.', 'approved'),
  -- Words: lower case, commas between; accents and punctuation do not matter.
  ('words_yes', 'en', 'yes, y, yeah, yep, yup, ok, okay, sure, agree, i agree, correct, right', 'approved'),
  ('words_yes', 'zu', 'yebo, ye, ngiyavuma, siyavuma, kulungile, kunjalo', 'approved'),
  ('words_yes', 'af', 'ja, jip, jaa, reg, goed, stem in, ek stem in, dis reg, dit is reg', 'approved'),
  ('words_no', 'en', 'no, n, nope, nah, disagree, i disagree, i do not agree, i dont agree', 'approved'),
  ('words_no', 'zu', 'cha, hhayi, hayi, qha, angivumi, akunjalo', 'approved'),
  ('words_no', 'af', 'nee, nie, nee dankie, ek stem nie in nie', 'approved'),
  ('words_greeting', 'en', 'hello, hi, hey, hallo, hello there, hi there, good morning, good afternoon, good evening, morning, howzit, how are you', 'approved'),
  ('words_greeting', 'zu', 'sawubona, sanibonani, sawubona baba, sawubona mama, unjani, ninjani, kunjani', 'approved'),
  ('words_greeting', 'af', 'hallo, haai, goeie more, goeiemore, more, goeie middag, goeiemiddag, goeienaand, goeie naand, hoe gaan dit', 'approved'),
  ('words_thanks', 'en', 'thanks, thank you, thank you very much, thanks a lot, many thanks, thx, ta, cheers, shot', 'approved'),
  ('words_thanks', 'zu', 'ngiyabonga, siyabonga, ngiyabonga kakhulu, siyabonga kakhulu, ngibonga', 'approved'),
  ('words_thanks', 'af', 'dankie, baie dankie, dankie tog, baie baie dankie', 'approved'),
  ('words_done', 'en', 'done, finished, that is all, thats all, no photos, no photo, none, continue, next, skip', 'approved'),
  ('words_done', 'zu', 'ngiqedile, sengiqedile, azikho, angizinazo, qhubeka', 'approved'),
  ('words_done', 'af', 'klaar, ek is klaar, geen fotos, geen foto, geen, gaan voort, volgende', 'approved'),
  ('words_category_water', 'en', 'water, no water, burst pipe, pipe burst, water pipe, pipe, leak, leaking, water leak, tap, water meter, low pressure', 'approved'),
  ('words_category_water', 'zu', 'amanzi, manzi, emanzini, ipayipi, amapayipi, ayavuza, kuyavuza, ukuvuza, umpompi', 'approved'),
  ('words_category_water', 'af', 'water, geen water, waterpyp, pyp, pypbreuk, gebarste pyp, lek, kraan, watermeter', 'approved'),
  ('words_category_electricity', 'en', 'electricity, electric, power, no power, power cut, power outage, outage, lights, no lights, streetlight, street light, streetlights, load shedding, loadshedding, prepaid, meter box, cable theft', 'approved'),
  ('words_category_electricity', 'zu', 'ugesi, gesi, akukho gesi, amalambu, ilambu, ukucisha kukagesi, ugesi uphelile', 'approved'),
  ('words_category_electricity', 'af', 'elektrisiteit, krag, geen krag, kragonderbreking, kragtoevoer, beurtkrag, ligte, straatlig, straatligte, kragkabel', 'approved'),
  ('words_category_roads', 'en', 'roads, pothole, potholes, road damage, damaged road, broken road, traffic light, traffic lights, robot not working, robots, speed hump, sidewalk, pavement', 'approved'),
  ('words_category_roads', 'zu', 'imigwaqo, umgwaqo, umgodi, imigodi, amarobhothi, irobhothi', 'approved'),
  ('words_category_roads', 'af', 'paaie, pad, slaggat, slaggate, verkeerslig, verkeersligte, robot, sypaadjie', 'approved'),
  ('words_category_waste', 'en', 'waste, rubbish, garbage, refuse, trash, bin, bins, dumping, illegal dumping, litter, collection', 'approved'),
  ('words_category_waste', 'zu', 'udoti, doti, imfucuza, ibhini, imigqomo, ukulahlwa kukadoti', 'approved'),
  ('words_category_waste', 'af', 'vullis, vullisblik, vullisverwydering, asblik, rommel, stortery, onwettige storting', 'approved'),
  ('words_category_sanitation', 'en', 'sewage, sewer, sewerage, toilet, toilets, blocked drain, drain, drains, manhole, overflowing, blocked toilet', 'approved'),
  ('words_category_sanitation', 'zu', 'indle, ithoyilethi, amathoyilethi, indlu yangasese, izindlu zangasese, umsele', 'approved'),
  ('words_category_sanitation', 'af', 'riool, rioolpyp, rioolstelsel, toilet, toilette, verstopte toilet, mangat, drein, verstop', 'approved'),
  ('words_help', 'en', 'help', 'approved'),
  ('words_help', 'zu', 'usizo, ngisize', 'approved'),
  ('words_help', 'af', 'hulp, help my', 'approved'),
  ('words_restart', 'en', 'restart, start again, start over', 'approved'),
  ('words_restart', 'zu', 'qala kabusha', 'approved'),
  ('words_restart', 'af', 'begin weer, herbegin', 'approved'),
  ('words_stop', 'en', 'stop, unsubscribe, opt out', 'approved'),
  ('words_stop', 'zu', 'yima', 'approved'),
  ('words_stop', 'af', 'stop, hou op', 'approved'),
  ('words_start', 'en', 'start', 'approved'),
  ('words_start', 'zu', 'qala', 'approved'),
  ('words_start', 'af', 'begin', 'approved'),
  ('words_status', 'en', 'status', 'approved'),
  ('words_status', 'zu', 'isimo', 'approved'),
  ('words_status', 'af', 'status', 'approved'),
  ('words_my_data', 'en', 'my data', 'approved'),
  ('words_my_data', 'zu', 'idatha yami', 'approved'),
  ('words_my_data', 'af', 'my inligting, my data', 'approved'),
  ('words_delete_my_data', 'en', 'delete my data', 'approved'),
  ('words_delete_my_data', 'zu', 'susa idatha yami', 'approved'),
  ('words_delete_my_data', 'af', 'vee my data uit, vee my inligting uit', 'approved');

-- ---------------------------------------------------------------------
-- isiXhosa: every key of the library, approved as the platform default.
-- Everyday, polite isiXhosa as the municipality's offices speak it; the
-- numbers (10111, 0800 428 428), the Act's name in brackets (POPIA) and the
-- regulator's address stay as they are in every language.
-- ---------------------------------------------------------------------
insert into public.message_templates (template_key, language, body, status) values
  ('ask_description', 'xh', 'Nceda uchaze ingxaki ngamazwi ambalwa: yintoni engalunganga, kwaye ukususela nini?', 'approved'),
  ('ask_description_sensitive', 'xh', 'Sixelele ukuba kwenzeke ntoni, ngamazwi akho. Ngabantu abaza kukunceda kuphela abanokuyifunda.', 'approved'),
  ('ask_location', 'xh', 'Iphi ingxaki? Thumela indawo okuyo (cofa i-paperclip, emva koko u-Location) okanye ubhale idilesi yesitrato.', 'approved'),
  ('ask_location_sensitive', 'xh', 'Uncedo lungakufikelela phi? Thumela indawo okanye ubhale idilesi, kuphela ukuba kukhuselekile ukwenza oko. Ukuba akukhuselekanga, phendula ngokuthi ANDIFUNI.', 'approved'),
  ('ask_photos', 'xh', 'Ngoku ungathumela iifoto ezingadlulanga kwezi-{max}. Xa ugqibile, okanye ukuba akunazo, phendula ngo-1.', 'approved'),
  ('cat_electricity', 'xh', 'Umbane', 'approved'),
  ('cat_gbv', 'xh', 'Ukhuseleko lomntu (luyimfihlo)', 'approved'),
  ('cat_other', 'xh', 'Enye into', 'approved'),
  ('cat_roads', 'xh', 'Iindlela', 'approved'),
  ('cat_sanitation', 'xh', 'Izindlu zangasese nelindle', 'approved'),
  ('cat_waste', 'xh', 'Ukuqokelelwa kwenkunkuma', 'approved'),
  ('cat_water', 'xh', 'Amanzi', 'approved'),
  ('choose_language', 'xh', 'Welcome! Sawubona! Molo! Welkom!
{languages}', 'approved'),
  ('confirm', 'xh', 'Nceda ujonge ingxelo yakho:
Uhlobo: {category}
Inkcazelo: {description}
Indawo: {place}
Iifoto: {photos}

Phendula ngo-1 ukuze uyithumele, okanye ngo-2 ukuze uqale kwakhona.', 'approved'),
  ('confirm_sensitive', 'xh', 'Ingxelo yakho eyimfihlo ilungile (iifoto: {photos}). Phendula ngo-1 ukuze uyithumele, okanye ngo-2 ukuze uqale kwakhona.', 'approved'),
  ('consent_declined', 'xh', 'Kulungile. Asigcinanga nanye inkcukacha yakho. Sithumelele umyalezo nanini na ukuba utshintsha ingqondo.', 'approved'),
  ('consent_notice', 'xh', 'I-{municipality} isebenzisa le ncoko ukufumana iingxelo ngeenkonzo zikamasipala. Ukuze senze oko sigcina inombolo yakho yefowuni, oko ukuxelayo nendawo okuyo, kwaye sikusebenzisela kuphela ukujongana neengxelo zakho nokukwazisa ngenkqubela phambili, njengoko uMthetho woKhuselo lweeNkcukacha zoMntu (POPIA) ufuna. Inguqulelo yesaziso semfihlo {version}.

Phendula ngo-1 ukuba uyavuma, okanye ngo-2 ukuba awuvumi.', 'approved'),
  ('data_request_access', 'xh', 'Sisifumene isicelo sakho sokubona iinkcukacha esizigcinileyo ngawe (inombolo yesalathiso {reference}). Umasipala uza kuphendula ngomhla we-{due_date}, simahla. Ukuze ukhuseleke asizithumeli iinkcukacha zakho nge-WhatsApp: ngena kwiwebhusayithi kamasipala ukuze uzikhuphele, okanye ubuze kwii-ofisi zawo.', 'approved'),
  ('data_request_deletion', 'xh', 'Sisifumene isicelo sakho sokucima iinkcukacha esizigcinileyo ngawe (inombolo yesalathiso {reference}). Umasipala uza kuphendula ngomhla we-{due_date}. Iingxelo zakho ziya kuhlala zibhaliwe njengamanani kuphela, ngaphandle kwegama lakho, inombolo yefowuni okanye idilesi.', 'approved'),
  ('data_request_needs_consent', 'xh', 'Okwangoku asinazo iinkcukacha ezinxulumene nale nombolo yefowuni.', 'approved'),
  ('description_too_short', 'xh', 'Nceda ubhale kancinci ngaphezulu (ubuncinane oonobumba abali-10).', 'approved'),
  ('emergency', 'xh', 'Ukuba usengozini ngoku, tsalela u-10111 (SAPS) okanye i-Command Centre esebenza iiyure ezingama-24 ku-0800 428 428.', 'approved'),
  ('expired', 'xh', 'Ingxelo yakho ebingagqitywanga icinyiwe kuba bekungekho mpendulo okwexeshana. Masiqale kwakhona.', 'approved'),
  ('filed', 'xh', 'Enkosi. Ingxelo yakho ithunyelwe. Inombolo yakho yesalathiso ngu-{tracking_number}. Thumela "imeko {tracking_number}" nanini na ukuze ubone ukuba iqhuba njani.', 'approved'),
  ('filed_sensitive', 'xh', 'Enkosi ngokusithemba. Ingxelo yakho ifunyenwe kwaye iza kusingathwa ngasese. Inombolo yesalathiso: {tracking_number}. Asiyi kuqala sikuthumelele umyalezo; thumela "imeko {tracking_number}" xa kukhuselekile.

{emergency}', 'approved'),
  ('duplicate_offer', 'xh', 'Oku kubonakala ngathi yingxelo {tracking_number}, esele ivuliwe kufutshane. Phendula ngo-1 ukuze uyilandele endaweni yoko (uya kufumana iindaba zayo), okanye ngo-2 ukuze ufake entsha.', 'approved'),
  ('following', 'xh', 'Ngoku ulandela ingxelo {tracking_number}. Siza kukwazisa xa imeko yayo itshintsha.', 'approved'),
  ('filing_failed', 'xh', 'Uxolo, kukho into engahambanga kakuhle ngakuthi kwaye ingxelo yakho ayikathunyelwa. Phendula ngo-1 ukuze uzame kwakhona.', 'approved'),
  ('help', 'xh', 'Le ncoko ithatha iingxelo ze-{municipality}. Thumela:
- imeko nenombolo yakho yesalathiso, ukuze ubone inkqubela
- qala kwakhona, ukuze uqale ingxelo entsha
- iinkcukacha zam, ukuze ubuze ukuba yintoni esiyigcinileyo ngawe
- cima iinkcukacha zam, ukuze ucele ukuba siyicime
- yima, ukuze ungaphindi ufumane imiyalezo

{emergency}', 'approved'),
  ('location_pin', 'xh', 'indawo oyithumeleyo', 'approved'),
  ('location_too_short', 'xh', 'Nceda uthumele indawo (location), okanye ubhale idilesi enegama lesitrato.', 'approved'),
  ('menu', 'xh', 'Ungathanda ukuxela ngantoni? Phendula ngenombolo:
1 {water}
2 {electricity}
3 {roads}
4 {waste}
5 {sanitation}
6 {gbv}
7 {other}

Nanini na ungathumela: imeko (nenombolo yakho yesalathiso), uncedo, qala kwakhona okanye yima.', 'approved'),
  ('not_understood', 'xh', 'Uxolo, andikuqondanga oko.', 'approved'),
  ('photo_received', 'xh', 'Sizifumene: iifoto ezi-{count} ukuza kuthi ga ngoku. Thumela enye, okanye uphendule ngo-1 ukuze uqhubeke.', 'approved'),
  ('privacy_notice', 'xh', 'Isaziso semfihlo se-{municipality} (inguqulelo {version})

Oqokelelayo: I-{municipality}, iqela elinoxanduva phantsi koMthetho woKhuselo lweeNkcukacha zoMntu 4 ka-2013 (POPIA). Qhagamshelana: {contact}.
Esikuqokelelayo: igama lakho, inombolo yefowuni ne-imeyile ukuba uyazinika, oko ukuxelayo, apho kukhoyo, neefoto ozithumelayo.
Kutheni: ukujongana neengxelo zakho ngeenkonzo zikamasipala nokukwazisa ngenkqubela phambili. Oku kusekelwe kuxanduva lukamasipala kuluntu (POPIA s11(1)(e)). Ukudlulisela ingxelo yokhuseleko eyimfihlo kumagosa oqhagamshelwano e-SAPS, neminye imiyalezo, kusekelwe kwimvume yakho, onokuyirhoxisa nanini na, simahla (thumela "yima" kwi-WhatsApp).
Ngokuzithandela: ukunika iinkcukacha zakho kukokuzithandela, kodwa ukuba asinayo indlela yokufikelela kuwe asinakukwazisa ngengxelo yakho.
Abazifumanayo: abasebenzi bakamasipala abajongana nengxelo yakho; ingxelo yokhuseleko eyimfihlo ibonwa ngamagosa oqhagamshelwano e-SAPS aqeqeshiweyo kuphela. Akukho mntu wumbi, ngaphandle kokuba umthetho uyafuna.
Ukuthunyelwa kwamanye amazwe: imiyalezo idlula kwi-Twilio (e-United States) nakwi-WhatsApp (Meta); iinkcukacha zigcinwa ngumboneleli wethu we-cloud. Ngamnye ubotshelelwe sisivumelwano somsebenzi esikhusela ngokulinganayo ne-POPIA (s72).
Amalungelo akho: ukubuza, simahla, ukuba siyazigcina na iinkcukacha zakho nokuzifumana kungaphelanga iintsuku ezingama-30; ukuba zilungiswe okanye zicinywe; ukuchasa; nokufaka isikhalazo kwi-Information Regulator, JD House, 27 Stiemens Street, Braamfontein, Johannesburg, 2001, enquiries@inforegulator.org.za.', 'approved'),
  ('restarted', 'xh', 'Masiqale kwakhona.', 'approved'),
  ('sensitive_consent', 'xh', 'Le yindlela eyimfihlo nekhuselekileyo. Oko usixelela kona kugcinwa kutshixiwe kwaye kuya kubonwa kuphela ngamagosa oqhagamshelwano e-SAPS aqeqeshiweyo e-{municipality}.

{emergency}

Singayidlulisela kuwo ingxelo yakho ukuze akuncede? Phendula ngo-1 ukuba uyavuma okanye ngo-2 ukuba awuvumi.', 'approved'),
  ('sensitive_declined', 'xh', 'Siyasihlonipha isigqibo sakho kwaye asigcinanga nto. Uncedo lukhona imini nobusuku: 10111 (SAPS) okanye 0800 428 428.', 'approved'),
  ('status_closed', 'xh', 'ivaliwe', 'approved'),
  ('status_escalated', 'xh', 'idluliselwe kwigosa eliphezulu', 'approved'),
  ('status_in_progress', 'xh', 'iyasetyenzwa', 'approved'),
  ('status_not_found', 'xh', 'Andiyifumananga ingxelo enaloo nombolo evela kule fowuni. Nceda ujonge inombolo uze uzame kwakhona.', 'approved'),
  ('status_open', 'xh', 'ifunyenwe, ilinde ukusingathwa', 'approved'),
  ('status_reply', 'xh', 'Ingxelo {tracking_number}: {status}.', 'approved'),
  ('status_resolved', 'xh', 'isonjululwe', 'approved'),
  ('status_usage', 'xh', 'Thumela "imeko" ulandelise ngenombolo yakho yesalathiso, umzekelo: imeko DEMO-2026-000123', 'approved'),
  ('stopped', 'xh', 'Akusayi kuphinda ufumane imiyalezo evela kuthi. Thumela "qala" ukuba ufuna ukuphinda usebenzise le nkonzo.', 'approved'),
  ('ticket_status_changed', 'xh', 'Iindaba ngengxelo yakho {tracking_number}: {status}.', 'approved'),
  ('too_many_photos', 'xh', 'Ezi zezona foto zininzi esinokuzamkela ({max}). Phendula ngo-1 ukuze uqhubeke.', 'approved'),
  ('language_choice', 'xh', 'Phendula ngo-{number} ukuze ufumane isiXhosa', 'approved'),
  ('greeting_reply', 'xh', 'Molo!', 'approved'),
  ('thanks_reply', 'xh', 'Akukho ngxaki. Sithumelele umyalezo nanini na xa usidinga.', 'approved'),
  ('category_guess', 'xh', 'Ingaba oku kumalunga nale nto: {category}? Phendula ngo-1 ukuba kunjalo, okanye ngo-2 ukuze ukhethe kuluhlu.', 'approved'),
  ('description_kept', 'xh', 'Siza kusebenzisa oko ukubhalileyo: "{description}"', 'approved'),
  ('reprompt_consent', 'xh', 'Uyavuma na ukuba sigcine iinkcukacha zakho ukuze sijongane neengxelo zakho? Phendula ngo-1 ukuba uyavuma okanye ngo-2 ukuba awuvumi.', 'approved'),
  ('reprompt_menu', 'xh', 'Nceda uphendule ngenombolo ukusuka ku-1 ukuya ku-7, okanye ngegama elifana nelithi amanzi, umbane okanye iindlela.', 'approved'),
  ('reprompt_sensitive_consent', 'xh', 'Singayidlulisela ingxelo yakho kumagosa oqhagamshelwano e-SAPS aqeqeshiweyo ukuze akuncede? Phendula ngo-1 ukuba uyavuma okanye ngo-2 ukuba awuvumi.', 'approved'),
  ('reprompt_confirm', 'xh', 'Phendula ngo-1 ukuze uthumele ingxelo yakho, okanye ngo-2 ukuze uqale kwakhona.', 'approved'),
  ('reprompt_duplicate', 'xh', 'Phendula ngo-1 ukuze ulandele ingxelo {tracking_number}, okanye ngo-2 ukuze ufake entsha.', 'approved'),
  ('words_yes', 'xh', 'ewe, ndiyavuma, siyavuma, kulungile, kunjalo, ewe ndiyavuma', 'approved'),
  ('words_no', 'xh', 'hayi, hayi bo, andivumi, akunjalo, hhayi', 'approved'),
  ('words_greeting', 'xh', 'molo, molweni, molo sisi, molo bhuti, molo mama, molo tata, unjani, ninjani, kunjani', 'approved'),
  ('words_thanks', 'xh', 'enkosi, enkosi kakhulu, ndiyabulela, siyabulela, ndiyabulela kakhulu, enkosi sisi, enkosi bhuti', 'approved'),
  ('words_done', 'xh', 'ndigqibile, sendigqibile, azikho, andinazo, qhubeka', 'approved'),
  ('words_category_water', 'xh', 'amanzi, manzi, emanzini, umbhobho, imibhobho, ibhobho, ayavuza, kuyavuza, ukuvuza, itephu, akukho manzi', 'approved'),
  ('words_category_electricity', 'xh', 'umbane, ugesi, akukho mbane, izibane, isibane, isibane sesitrato, umbane uphelile, umbane ucimile', 'approved'),
  ('words_category_roads', 'xh', 'iindlela, indlela, umngxuma, imingxuma, umgodi, imigodi, iirobhothi, irobhothi', 'approved'),
  ('words_category_waste', 'xh', 'inkunkuma, nkunkuma, udoti, ibhini, imigqomo, umgqomo, ukulahlwa kwenkunkuma', 'approved'),
  ('words_category_sanitation', 'xh', 'ilindle, indle, ithoyilethi, iithoyilethi, indlu yangasese, izindlu zangasese, umjelo wamanzi amdaka, amanzi amdaka', 'approved'),
  ('words_help', 'xh', 'uncedo, ndincede', 'approved'),
  ('words_restart', 'xh', 'qala kwakhona, qala ngokutsha', 'approved'),
  ('words_stop', 'xh', 'yima, misa', 'approved'),
  ('words_start', 'xh', 'qala', 'approved'),
  ('words_status', 'xh', 'imeko', 'approved'),
  ('words_my_data', 'xh', 'iinkcukacha zam, idatha yam', 'approved'),
  ('words_delete_my_data', 'xh', 'cima iinkcukacha zam, cima idatha yam', 'approved');
