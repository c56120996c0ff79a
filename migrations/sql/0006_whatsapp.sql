-- 0006: WhatsApp: conversations, inbound message log, delivery status.
-- (Reserved: filled by the work that owns it.)
select 1;
