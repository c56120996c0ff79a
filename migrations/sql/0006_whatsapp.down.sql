-- 0006 WhatsApp undone, in reverse order.
drop index if exists public.notification_outbox_sending_idx;
drop trigger if exists never_first_for_sensitive on public.notification_outbox;
drop function if exists private.drop_sensitive_notifications();
drop function if exists private.record_delivery_status(text, text, text);
drop table if exists public.notification_delivery_events;
drop table if exists public.whatsapp_templates;
drop table if exists public.whatsapp_media_jobs;
drop table if exists public.whatsapp_inbound_messages;
drop table if exists public.whatsapp_conversations;
