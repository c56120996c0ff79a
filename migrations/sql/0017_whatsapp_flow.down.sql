-- 0017 undone.
delete from public.message_templates
 where template_key in ('words_not_fixed', 'reopened', 'reopen_new_report', 'reopen_still_open',
                        'media_kept_ask_description', 'media_kept', 'media_not_accepted',
                        'media_too_large', 'address_found', 'address_not_found', 'button_yes',
                        'button_no', 'button_choose', 'language_name');
delete from public.message_template_keys
 where template_key in ('words_not_fixed', 'reopened', 'reopen_new_report', 'reopen_still_open',
                        'media_kept_ask_description', 'media_kept', 'media_not_accepted',
                        'media_too_large', 'address_found', 'address_not_found', 'button_yes',
                        'button_no', 'button_choose', 'language_name');
delete from public.whatsapp_templates where template_key like 'interactive\_%';
drop function if exists private.reopen_for_reporter(uuid, uuid, text, interval);
drop index if exists public.tickets_follows_up_idx;
alter table public.tickets drop column if exists follows_up;
alter table public.whatsapp_inbound_messages drop column if exists reply_message_sid;
alter table public.whatsapp_conversations drop column if exists asked_for_pin;
update storage.buckets
   set file_size_limit = case id when 'evidence' then 10485760 else 20971520 end,
       allowed_mime_types = array['image/jpeg', 'image/png', 'image/webp', 'image/heic',
                                  'video/mp4', 'audio/ogg', 'audio/mpeg', 'application/pdf']
 where id in ('evidence', 'gbv-evidence');
alter table public.whatsapp_media_jobs drop column if exists declared_type;
alter table public.whatsapp_media_jobs drop column if exists media_kind;
