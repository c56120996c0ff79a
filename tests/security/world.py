"""A small municipality with one row of every kind, built as the owner inside the
test's (rolled-back) transaction: the rows the access matrix acts on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from app.identity import service as identity
from tests.support.tenants import Tenant

CIPHERTEXT = "gAAAAABmatrixciphertextnotarealtoken=="


@dataclass
class World:
    tenant: Tenant
    ids: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.ids[key]


async def _one(conn: AsyncConnection[Any], query: str, params: Any = None) -> Any:
    cur = await conn.execute(query, params)
    row = await cur.fetchone()
    assert row is not None, query
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


async def _user(conn: AsyncConnection[Any], tenant: Tenant, role: str, label: str) -> UUID:
    email = f"{label}.{uuid.uuid4().hex[:8]}@matrix.salga.example"
    return await identity.add_user(conn, email=email, role=role, municipality_code=tenant.code,
                                   full_name=f"{label.title()} Matrix")


async def build_world(conn: AsyncConnection[Any], tenant: Tenant) -> World:
    """Teams, tickets (own, someone else's, sensitive), assignments, media,
    consents, an outbox row, and their audit entries — all in `tenant`."""
    w = World(tenant)
    t, u = tenant.id, tenant.users
    w.ids["resident"] = await _user(conn, tenant, "citizen", "resident")
    w.ids["survivor"] = await _user(conn, tenant, "citizen", "survivor")
    w.ids["crew"] = await _user(conn, tenant, "field_worker", "crew")
    w.ids["newcomer"] = await _one(
        conn, "insert into auth.users (email) values (%s) returning id",
        (f"newcomer.{uuid.uuid4().hex[:8]}@matrix.salga.example",))

    w.ids["team"] = await _one(
        conn, "insert into public.teams (tenant_id, name, categories) values (%s, %s, %s)"
        " returning id", (t, f"Water {uuid.uuid4().hex[:6]}", ["water"]))
    w.ids["saps_team"] = await _one(
        conn, "insert into public.teams (tenant_id, name, categories, is_saps)"
        " values (%s, %s, %s, true) returning id", (t, f"SAPS {uuid.uuid4().hex[:6]}", ["gbv"]))
    await conn.execute(
        "insert into public.team_members (team_id, user_id, tenant_id)"
        " values (%s, %s, %s), (%s, %s, %s)",
        (w["team"], u["field_worker"], t, w["saps_team"], u["saps_liaison"], t))

    ticket = ("insert into public.tickets (tenant_id, reporter_id, category, description,"
              " encrypted_description, is_sensitive, assigned_team_id)"
              " values (%s, %s, %s, %s, %s, %s, %s) returning id")
    w.ids["ticket_own"] = await _one(
        conn, ticket, (t, u["citizen"], "water", "Burst pipe", None, False, w["team"]))
    w.ids["ticket_others"] = await _one(
        conn, ticket, (t, w["resident"], "roads", "Pothole", None, False, None))
    w.ids["ticket_sensitive"] = await _one(
        conn, ticket, (t, w["survivor"], "gbv", None, CIPHERTEXT, True, w["saps_team"]))

    # Filing an assigned ticket records its assignment (0004); older schemas need it by hand.
    for ticket, team in (("ticket_own", "team"), ("ticket_sensitive", "saps_team")):
        await conn.execute(
            "insert into public.ticket_assignments (tenant_id, ticket_id, team_id, reason)"
            " select %s, %s, %s, 'routing' where not exists (select 1 from"
            " public.ticket_assignments where ticket_id = %s and is_current)",
            (t, w[ticket], w[team], w[ticket]))
    current = "select id from public.ticket_assignments where ticket_id = %s and is_current"
    w.ids["assignment"] = await _one(conn, current, (w["ticket_own"],))
    w.ids["assignment_sensitive"] = await _one(conn, current, (w["ticket_sensitive"],))

    w.ids["sla"] = await _one(
        conn, "insert into public.sla_policies (tenant_id, category, response_hours,"
        " resolution_hours) values (%s, 'water', 4, 48) returning id", (t,))

    media = ("insert into public.media_attachments (tenant_id, ticket_id, user_id, bucket, path,"
             " purpose) values (%s, %s, %s, %s, %s, %s) returning id")
    w.ids["media"] = await _one(conn, media, (
        t, w["ticket_own"], u["citizen"], "evidence", f"{t}/{w['ticket_own']}/a.jpg", "evidence"))
    w.ids["media_sensitive"] = await _one(conn, media, (
        t, w["ticket_sensitive"], None, "gbv-evidence", f"{t}/{w['ticket_sensitive']}/a.jpg",
        "evidence"))
    w.ids["media_proof"] = await _one(conn, media, (
        t, None, w["resident"], "documents", f"{t}/{w['resident']}/id.pdf", "proof_of_residence"))

    consent = ("insert into public.consent_records (tenant_id, user_id, purpose,"
               " purpose_description, consented, consent_version, privacy_policy_version)"
               " values (%s, %s, 'service_delivery', 'Handle my reports', true, '1', '1')"
               " returning id")
    for role, user in u.items():
        w.ids[f"consent:{role}"] = await _one(conn, consent, (t, user))
    w.ids["consent_resident"] = await _one(conn, consent, (t, w["resident"]))

    w.ids["outbox"] = await _one(
        conn, "insert into public.notification_outbox (tenant_id, ticket_id, recipient,"
        " template_key) values (%s, %s, '+27820000001', 'ticket_received') returning id",
        (t, w["ticket_own"]))

    # POPIA (0011): a text draft, data requests, the registers, a retention override.
    w.ids["template_draft"] = await _one(
        conn, "insert into public.message_templates (tenant_id, template_key, language, body)"
        " values (%s, 'filed', 'en', 'Ref {tracking_number}') returning id", (t,))
    request = ("insert into public.data_subject_requests (tenant_id, user_id, kind)"
               " values (%s, %s, 'access') returning id")
    for role, user in u.items():
        w.ids[f"dsr:{role}"] = await _one(conn, request, (t, user))
    w.ids["dsr_resident"] = await _one(conn, request, (t, w["resident"]))
    w.ids["breach"] = await _one(
        conn, "insert into public.breach_register (tenant_id, discovered_at, breach_type,"
        " description) values (%s, now(), 'integrity', 'Matrix breach') returning id", (t,))
    w.ids["operator"] = await _one(
        conn, "insert into public.operators_register (tenant_id, name, service, country)"
        " values (%s, 'Matrix Hosting', 'Hosting', 'ZA') returning id", (t,))
    w.ids["retention"] = await _one(
        conn, "insert into public.retention_policies (tenant_id, kind, retain_days, action)"
        " values (%s, 'tickets', 1000, 'deidentify') returning id", (t,))

    audit = ("select id from public.audit_log where table_name = %s and record_id = %s"
             " and operation = 'INSERT'")
    w.ids["audit"] = await _one(conn, audit, ("tickets", str(w["ticket_own"])))
    w.ids["audit_sensitive"] = await _one(conn, audit, ("tickets", str(w["ticket_sensitive"])))
    w.ids["audit_consent"] = await _one(conn, audit, ("consent_records",
                                                      str(w["consent_resident"])))
    return w
