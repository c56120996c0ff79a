-- 0005 undone.
select 1;
