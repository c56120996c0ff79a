-- Undo 0025: version 1 of the isiXhosa address_not_found approved again.
delete from public.message_templates
 where template_key = 'address_not_found' and language = 'xh' and tenant_id is null
   and version > 1;
alter table public.message_templates disable trigger guard_template_changes;
update public.message_templates set status = 'approved', retired_at = null
 where template_key = 'address_not_found' and language = 'xh' and tenant_id is null
   and version = 1;
alter table public.message_templates enable trigger guard_template_changes;
