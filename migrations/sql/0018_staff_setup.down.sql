-- 0018 undone.
drop policy if exists "Admins set their municipality's WhatsApp number"
  on public.municipalities;
revoke update (whatsapp_number) on public.municipalities from authenticated;
drop table if exists public.staff_invitations;
