-- 0007: Realtime: realtime.messages policies for municipality and GBV channels.
-- (Reserved: filled by the work that owns it.)
select 1;
