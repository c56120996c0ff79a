-- 0007 undone.
select 1;
