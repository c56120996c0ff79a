-- 0004: Ticket lifecycle: transitions, SLA, routing, escalation, notification outbox, ticket events.
-- (Reserved: filled by the work that owns it.)
select 1;
