-- 0007 undone: the realtime.messages policy and its helper.
drop policy if exists "Staff receive the ticket channels of their municipality" on realtime.messages;
drop function if exists private.may_receive_topic(text);
