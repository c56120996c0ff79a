"""SQL for municipalities, auth users and profiles."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

Row = dict[str, Any]


async def upsert_municipality(
    conn: AsyncConnection[Any],
    *,
    code: str,
    name: str,
    province: str,
    contact_email: str | None,
    whatsapp_number: str | None,
) -> Row:
    cur = await conn.execute(
        """
        insert into public.municipalities (code, name, province, contact_email, whatsapp_number)
        values (%(code)s, %(name)s, %(province)s, %(email)s, %(whatsapp)s)
        on conflict (code) do update
           set name = excluded.name, province = excluded.province,
               contact_email = coalesce(excluded.contact_email, municipalities.contact_email),
               whatsapp_number = coalesce(excluded.whatsapp_number, municipalities.whatsapp_number)
        returning *
        """,
        {"code": code, "name": name, "province": province, "email": contact_email,
         "whatsapp": whatsapp_number},
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def municipality_by_code(conn: AsyncConnection[Any], code: str) -> Row | None:
    cur = await conn.execute("select * from public.municipalities where code = %s", (code,))
    return await cur.fetchone()


async def upsert_profile(
    conn: AsyncConnection[Any],
    *,
    user_id: UUID,
    tenant_id: UUID,
    role: str,
    full_name: str | None,
    phone: str | None,
    language: str,
) -> Row:
    cur = await conn.execute(
        """
        insert into public.profiles (id, tenant_id, role, full_name, phone, preferred_language)
        values (%(id)s, %(tenant)s, %(role)s, %(name)s, %(phone)s, %(lang)s)
        on conflict (id) do update
           set tenant_id = excluded.tenant_id, role = excluded.role,
               full_name = coalesce(excluded.full_name, profiles.full_name),
               phone = coalesce(excluded.phone, profiles.phone),
               preferred_language = excluded.preferred_language
        returning *
        """,
        {"id": user_id, "tenant": tenant_id, "role": role, "name": full_name, "phone": phone,
         "lang": language},
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def own_profile(conn: AsyncConnection[Any]) -> Row | None:
    """The caller's profile and municipality, through RLS (runs as the caller)."""
    cur = await conn.execute(
        """
        select p.id, p.tenant_id, p.role, p.full_name, p.preferred_language,
               m.code as municipality_code, m.name as municipality_name,
               array(select tm.team_id from public.team_members tm
                      where tm.user_id = p.id and tm.tenant_id = p.tenant_id
                      order by tm.team_id) as team_ids
          from public.profiles p
          join public.municipalities m on m.id = p.tenant_id
         where p.id = (select auth.uid())
        """
    )
    return await cur.fetchone()
