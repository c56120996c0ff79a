"""A small municipality with one row of every kind, built as the owner inside the
test's (rolled-back) transaction: the rows the access matrix acts on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from app.identity import people
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


async def world_people(conn: AsyncConnection[Any], tenant: Tenant) -> dict[str, UUID]:
    """The world's people. Auth creates them in its own transactions, so a test
    that locks tables first must make them before it does."""
    return {
        "resident": await _user(conn, tenant, "citizen", "resident"),
        "survivor": await _user(conn, tenant, "citizen", "survivor"),
        "crew": await _user(conn, tenant, "field_worker", "crew"),
        "newcomer": await people.create_person(  # signed up, no municipality yet
            conn, email=f"newcomer.{uuid.uuid4().hex[:8]}@matrix.salga.example",
            password=uuid.uuid4().hex),
    }


async def build_world(conn: AsyncConnection[Any], tenant: Tenant,
                      folks: dict[str, UUID] | None = None) -> World:
    """Teams, tickets (own, someone else's, sensitive), assignments, media,
    consents, an outbox row, and their audit entries — all in `tenant`."""
    w = World(tenant)
    t, u = tenant.id, tenant.users
    w.ids.update(folks or await world_people(conn, tenant))

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

    w.ids["sla_gbv"] = await _one(
        conn, "insert into public.sla_policies (tenant_id, category, response_hours,"
        " resolution_hours) values (%s, 'gbv', 1, 24) returning id", (t,))
    w.ids["access_log"] = await _one(
        conn, "insert into public.media_access_log (tenant_id, media_id, user_id)"
        " values (%s, %s, %s) returning id", (t, w["media_sensitive"], u["saps_liaison"]))
    w.ids["conversation"] = await _one(
        conn, "insert into public.whatsapp_conversations (tenant_id, phone, user_id)"
        " values (%s, %s, %s) returning id", (t, f"+2782{uuid.uuid4().int % 10**7:07d}",
                                              u["citizen"]))
    w.ids["inbound"] = await _one(
        conn, "insert into public.whatsapp_inbound_messages (message_sid, tenant_id,"
        " conversation_id, reply) values (%s, %s, %s, 'Thanks') returning message_sid",
        (f"SM{uuid.uuid4().hex}", t, w["conversation"]))
    w.ids["media_job"] = await _one(
        conn, "insert into public.whatsapp_media_jobs (tenant_id, conversation_id, message_sid,"
        " media_index, media_url) values (%s, %s, %s, 0, 'https://example.org/a.jpg')"
        " returning id", (t, w["conversation"], w["inbound"]))
    w.ids["template"] = await _one(
        conn, "insert into public.whatsapp_templates (template_key, language, content_sid)"
        " values (%s, 'en', %s) returning template_key",
        (f"matrix_{uuid.uuid4().hex[:8]}", "HX" + "a" * 32))
    w.ids["delivery"] = await _one(
        conn, "insert into public.notification_delivery_events (message_sid, outbox_id, status)"
        " values (%s, %s, 'delivered') returning id", (f"SM{uuid.uuid4().hex}", w["outbox"]))
    w.ids["place"] = await _one(
        conn, "insert into public.places (tenant_id, name, geom) values (%s, 'Old Town',"
        " extensions.st_geogfromtext('POINT(18.8 -33.9)')) returning id", (t,))
    w.ids["invitation"] = await _one(
        conn, "insert into public.staff_invitations (tenant_id, email, full_name, role,"
        " invited_by) values (%s, 'invited@matrix.example', 'Invited Person', 'field_worker',"
        " %s) returning id", (t, u["admin"]))
    note = ("insert into public.ticket_notes (ticket_id, body, encrypted_body)"
            " values (%s, %s, %s) returning id")
    w.ids["note"] = await _one(conn, note, (w["ticket_own"], "Crew sent", None))
    w.ids["note_sensitive"] = await _one(conn, note, (w["ticket_sensitive"], None, CIPHERTEXT))
    # 0016: the protected report's child referral and escalation (as the database makes
    # them for a child case).
    await conn.execute("insert into public.dsd_referrals (ticket_id, tenant_id)"
                       " values (%s, %s)", (w["ticket_sensitive"], t))
    await conn.execute(
        "insert into public.child_case_escalations (ticket_id, tenant_id, acknowledge_by,"
        " escalated_at, assignee_id) values (%s, %s, now(), now(), %s)",
        (w["ticket_sensitive"], t, u["saps_liaison"]))
    # 0012: duplicate rules, followers, Open311 clients, submissions and updates.
    w.ids["duplicate_rule"] = await _one(
        conn, "insert into public.duplicate_rules (tenant_id, category, radius_m)"
        " values (%s, 'water', 80) returning id", (t,))
    w.ids["follower"] = await _one(
        conn, "insert into public.ticket_followers (tenant_id, ticket_id, user_id, source)"
        " values (%s, %s, %s, 'web') returning id", (t, w["ticket_others"], u["citizen"]))
    w.ids["open311_client"] = await _one(
        conn, "insert into public.open311_clients (tenant_id, name, key_hash, key_prefix)"
        " values (%s, %s, %s, 'o311_abcd') returning id",
        (t, f"Client {uuid.uuid4().hex[:6]}", uuid.uuid4().hex * 2))
    w.ids["open311_submission"] = await _one(
        conn, "insert into public.open311_submissions (tenant_id, ticket_id, client_id, contact,"
        " fingerprint) values (%s, %s, %s, '{\"email\": \"a@b.example\"}', repeat('0', 64))"
        " returning id",
        (t, w["ticket_others"], w["open311_client"]))
    w.ids["ticket_update"] = await _one(
        conn, "insert into public.ticket_updates (tenant_id, ticket_id, status, source)"
        " values (%s, %s, 'open', 'staff') returning id", (t, w["ticket_own"]))
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
