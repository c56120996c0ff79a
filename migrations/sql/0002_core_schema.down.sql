-- 0002 undone.
select 1;
