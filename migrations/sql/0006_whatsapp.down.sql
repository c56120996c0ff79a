-- 0006 undone.
select 1;
