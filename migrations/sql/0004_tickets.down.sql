-- 0004 undone.
select 1;
