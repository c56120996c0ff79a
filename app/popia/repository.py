"""SQL for the POPIA duties. Runs as the caller unless a function says otherwise."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from app.vocab import Conn, Row

REQUEST_COLUMNS = (
    "id, tenant_id, user_id, reference, kind, details, channel, status, received_at, due_at,"
    " extended_at, extension_reason, escalated_at, requester_verified_at, completed_at, outcome,"
    " outcome_reason, (status <> 'completed' and due_at < now()) as overdue")
CONSENT_COLUMNS = ("id, purpose, purpose_description, consented, language, consent_version,"
                   " notice_template_id, created_at, withdrawn_at")


async def municipality_code(conn: Conn, tenant_id: UUID) -> str | None:
    cur = await conn.execute("select code from public.municipalities where id = %s", (tenant_id,))
    row = await cur.fetchone()
    return row["code"] if row else None


async def privacy_notice(conn: Conn, *, code: str, language: str) -> Row | None:
    cur = await conn.execute("select public.privacy_notice(%s, %s) as notice", (code, language))
    row = await cur.fetchone()
    return row["notice"] if row else None


async def consents(conn: Conn, user_id: UUID) -> list[Row]:
    cur = await conn.execute(
        f"select {CONSENT_COLUMNS} from public.consent_records where user_id = %s"
        " order by created_at, id", (user_id,))
    return await cur.fetchall()


async def active_consent(conn: Conn, *, user_id: UUID, purpose: str,
                         notice_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {CONSENT_COLUMNS} from public.consent_records where user_id = %s"
        " and purpose = %s and notice_template_id = %s and consented and withdrawn_at is null"
        " order by created_at desc limit 1", (user_id, purpose, notice_id))
    return await cur.fetchone()


async def record_consent(conn: Conn, *, user_id: UUID, tenant_id: UUID, purpose: str,
                         description: str, notice: Row, ip: str, user_agent: str) -> Row:
    cur = await conn.execute(
        "insert into public.consent_records (user_id, tenant_id, purpose, purpose_description,"
        " language, consented, consent_version, privacy_policy_version, notice_template_id,"
        " ip_address, user_agent) values (%s, %s, %s, %s, %s, true, %s, %s, %s, %s, %s)"
        f" returning {CONSENT_COLUMNS}",
        (user_id, tenant_id, purpose, description, notice["language"], str(notice["version"]),
         str(notice["version"]), notice["id"], ip or None, user_agent[:512] or None))
    row = await cur.fetchone()
    assert row is not None
    return row


async def withdraw(conn: Conn, *, user_id: UUID, purpose: str) -> int:
    cur = await conn.execute(
        "update public.consent_records set withdrawn_at = now() where user_id = %s"
        " and purpose = %s and withdrawn_at is null", (user_id, purpose))
    return cur.rowcount


async def open_request(conn: Conn, *, tenant_id: UUID, user_id: UUID, kind: str,
                       details: str | None, channel: str = "web") -> Row:
    cur = await conn.execute(
        "insert into public.data_subject_requests (tenant_id, user_id, kind, details, channel)"
        f" values (%s, %s, %s, %s, %s) returning {REQUEST_COLUMNS}",
        (tenant_id, user_id, kind, details, channel))
    row = await cur.fetchone()
    assert row is not None
    return row


async def requests(conn: Conn, *, user_id: UUID | None, tenant_id: UUID | None,
                   status: str | None, overdue: bool | None) -> list[Row]:
    cur = await conn.execute(
        f"select {REQUEST_COLUMNS} from public.data_subject_requests"
        " where (%(user)s::uuid is null or user_id = %(user)s)"
        "   and (%(tenant)s::uuid is null or tenant_id = %(tenant)s)"
        "   and (%(status)s::text is null or status = %(status)s)"
        "   and (%(overdue)s::boolean is null"
        "        or (status <> 'completed' and due_at < now()) = %(overdue)s)"
        " order by due_at, id limit 500",
        {"user": user_id, "tenant": tenant_id, "status": status, "overdue": overdue})
    return await cur.fetchall()


async def update_request(conn: Conn, request_id: UUID, fields: dict[str, Any]) -> Row | None:
    allowed = {"status", "extension_reason", "outcome", "outcome_reason",
               "requester_verified_at"}
    assert set(fields) <= allowed
    sets = ", ".join(f"{name} = %({name})s" for name in fields)
    cur = await conn.execute(
        f"update public.data_subject_requests set {sets} where id = %(id)s"
        f" returning {REQUEST_COLUMNS}", {**fields, "id": request_id})
    return await cur.fetchone()


async def request_by_id(conn: Conn, request_id: UUID) -> Row | None:
    cur = await conn.execute(
        f"select {REQUEST_COLUMNS} from public.data_subject_requests where id = %s",
        (request_id,))
    return await cur.fetchone()


async def bundle(conn: Conn, user_id: UUID | None) -> dict[str, Any]:
    cur = await conn.execute("select public.data_subject_bundle(%s) as bundle", (user_id,))
    row = await cur.fetchone()
    assert row is not None
    return dict(row["bundle"])


async def verified_private_reports(conn: Conn) -> list[Row]:
    cur = await conn.execute("select * from public.verified_private_reports()")
    return await cur.fetchall()


async def erase(conn: Conn, user_id: UUID) -> dict[str, Any]:
    cur = await conn.execute("select public.erase_person(%s) as result", (user_id,))
    row = await cur.fetchone()
    assert row is not None
    return dict(row["result"])


async def person_by_phone(conn: Conn, phone: str) -> list[UUID]:
    cur = await conn.execute(
        "select id from public.profiles where phone = %s and role = 'citizen'", (phone,))
    return [r["id"] for r in await cur.fetchall()]


async def person_by_email(conn: Conn, email: str) -> list[UUID]:
    cur = await conn.execute(
        "select p.id from public.profiles p join auth.users u on u.id = p.id"
        " where lower(u.email) = lower(%s) and p.role = 'citizen'", (email,))
    return [r["id"] for r in await cur.fetchall()]


async def apply_retention(conn: Conn, *, dry_run: bool) -> list[Row]:
    cur = await conn.execute(
        "select r.kind, r.tenant_id, m.code, r.action, r.items, r.held"
        "  from private.apply_retention(%s) r left join public.municipalities m"
        "    on m.id = r.tenant_id", (dry_run,))
    return await cur.fetchall()


async def storage_removals_due(conn: Conn, limit: int) -> list[Row]:
    cur = await conn.execute("select * from private.storage_removals_due(%s)", (limit,))
    return await cur.fetchall()


async def storage_removal_done(conn: Conn, removal_id: int, error: str | None) -> None:
    await conn.execute("select private.storage_removal_done(%s, %s)", (removal_id, error))


async def register(conn: Conn, table: str) -> list[Row]:
    assert table in ("breach_register", "operators_register")
    cur = await conn.execute(f"select * from public.{table} order by created_at desc, id")
    return await cur.fetchall()


async def add_to_register(conn: Conn, table: str, fields: dict[str, Any]) -> Row:
    assert table in ("breach_register", "operators_register")
    names = ", ".join(fields)
    values = ", ".join(f"%({name})s" for name in fields)
    cur = await conn.execute(
        f"insert into public.{table} ({names}) values ({values}) returning *",
        {k: json.dumps(v) if isinstance(v, dict) else v for k, v in fields.items()})
    row = await cur.fetchone()
    assert row is not None
    return row
