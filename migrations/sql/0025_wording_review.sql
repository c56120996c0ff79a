-- =====================================================================
-- 0025 Wording, from reading the library language by language
-- (`salga templates review xh` beside English). Each text gets a new
-- version, drafted and then approved, so the one it replaces is retired by
-- the library's own rule and every message records which it used.
--
-- * isiXhosa address_not_found: WhatsApp offers no isiXhosa menus, so the
--   phone shows its buttons in English; ask_location says "cofa
--   i-paperclip, emva koko u-Location", this text translated the same
--   buttons ("isiqhoboshi", "Indawo") and said "share" where the others
--   say "send".
-- * isiXhosa reopened: the status command is "imeko" in every other
--   isiXhosa text, not "status".
-- * isiXhosa child_notice: SAPS liaison officers are "amagosa
--   oqhagamshelwano" in every other isiXhosa text, not "onxibelelwano".
-- * sensitive_declined, every language: the last reply of the protected
--   flow names Childline 116 too, as every other reply of that flow does.
-- =====================================================================
insert into public.message_templates (template_key, language, body, status) values
  ('address_not_found', 'xh', 'Asiyifumananga loo ndawo kwimaphu kamasipala. Nceda uthumele indawo okuyo (cofa i-paperclip, emva koko u-Location). Ukuba awukwazi, phinda ubhale idilesi kunye negama lendawo.', 'draft'),
  ('reopened', 'xh', 'Siyaxolisa ukuba ayikalungiswa. Ingxelo {tracking_number} ivuliwe kwakhona kwaye iqela lixelelwe. Phendula ngokuthi "imeko {tracking_number}" ukuze uyilandele.', 'draft'),
  ('child_notice', 'xh', 'Iingxelo ezichaphazela umntwana (nabani na ongaphantsi kweminyaka eli-18) zisoloko zidluliselwa kumagosa oqhagamshelwano e-SAPS, njengoko umthetho ufuna.', 'draft'),
  ('sensitive_declined', 'en', 'We respect your choice and have not kept anything. Help is there day and night: 10111 (SAPS) or 0800 428 428, and Childline on 116 if a child needs help.', 'draft'),
  ('sensitive_declined', 'zu', 'Siyasihlonipha isinqumo sakho futhi asigcinanga lutho. Usizo lukhona emini nasebusuku: 10111 (SAPS) noma 0800 428 428, ne-Childline ku-116 uma ingane idinga usizo.', 'draft'),
  ('sensitive_declined', 'af', 'Ons respekteer jou keuse en het niks gehou nie. Hulp is dag en nag daar: 10111 (SAPS) of 0800 428 428, en Childline by 116 as ''n kind hulp nodig het.', 'draft'),
  ('sensitive_declined', 'xh', 'Siyasihlonipha isigqibo sakho kwaye asigcinanga nto. Uncedo lukhona emini nasebusuku: 10111 (SAPS) okanye 0800 428 428, kunye neChildline ku-116 ukuba umntwana udinga uncedo.', 'draft');

update public.message_templates
   set status = 'approved', approval_note = 'Wording review (migration 0025)'
 where tenant_id is null and status = 'draft'
   and (template_key, language) in (('address_not_found', 'xh'), ('reopened', 'xh'),
                                    ('child_notice', 'xh'), ('sensitive_declined', 'en'),
                                    ('sensitive_declined', 'zu'), ('sensitive_declined', 'af'),
                                    ('sensitive_declined', 'xh'));
