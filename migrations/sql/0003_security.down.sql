-- 0003 undone.
select 1;
