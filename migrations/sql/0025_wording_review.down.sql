-- Undo 0025: the versions it replaced approved again.
create temporary table wording_replaced on commit drop as
  select m.previous_version_id as id from public.message_templates m
   where m.tenant_id is null and m.approval_note = 'Wording review (migration 0025)';

alter table public.message_templates disable trigger guard_template_changes;
delete from public.message_templates m
 where m.tenant_id is null and m.approval_note = 'Wording review (migration 0025)';
update public.message_templates m set status = 'approved', retired_at = null
 where m.id in (select id from wording_replaced);
alter table public.message_templates enable trigger guard_template_changes;
