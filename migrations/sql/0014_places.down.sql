-- 0014 undone.
drop function if exists public.match_place(uuid, text);
drop table if exists public.places;
