-- 0003: Security model: role policies, audit log and its triggers.
-- (Reserved: filled by the work that owns it.)
select 1;
