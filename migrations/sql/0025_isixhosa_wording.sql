-- =====================================================================
-- 0025 isiXhosa wording, from the review sheet (`salga templates review xh`)
-- WhatsApp offers no isiXhosa menus, so an isiXhosa speaker's phone shows its
-- buttons in English: `ask_location` says "cofa i-paperclip, emva koko
-- u-Location", but `address_not_found` translated the same buttons
-- ("isiqhoboshi", "Indawo") and asked to "share" where every other text
-- says "send". Version 2 names the buttons as the phone does. Drafted, then
-- approved, so version 1 is retired by the library's own rule.
-- =====================================================================
insert into public.message_templates (template_key, language, body, status) values
  ('address_not_found', 'xh', 'Asiyifumananga loo ndawo kwimaphu kamasipala. Nceda uthumele indawo okuyo (cofa i-paperclip, emva koko u-Location). Ukuba awukwazi, phinda ubhale idilesi kunye negama lendawo.', 'draft');
update public.message_templates
   set status = 'approved',
       approval_note = 'The buttons as WhatsApp names them, as in ask_location'
 where template_key = 'address_not_found' and language = 'xh' and tenant_id is null
   and status = 'draft';
