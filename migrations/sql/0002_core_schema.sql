-- 0002: Core schema: teams, tickets, assignments, SLA policies, media, consent (tables, grants, RLS).
-- (Reserved: filled by the work that owns it.)
select 1;
