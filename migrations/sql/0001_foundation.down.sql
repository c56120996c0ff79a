-- 0001 Foundation, undone. Extensions stay (other schemas may use them).
drop function if exists public.custom_access_token_hook(jsonb);
drop table if exists public.profiles;
drop table if exists public.municipalities;
drop schema if exists private cascade;
