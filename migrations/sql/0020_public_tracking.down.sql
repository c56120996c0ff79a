-- 0020 undone.
drop function if exists public.track_report(text);
