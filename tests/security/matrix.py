"""THE table of expectations: who may select, insert, update and delete which row.

Actors: the five roles of municipality A, `anon`, and `other:<role>` — the same
role in municipality B. Every object below is a row of municipality A (the
"own" rows are those of A's user with the actor's role; for `other:<role>`
that is their counterpart in A, so the cell is a cross-tenant attempt).
A cell lists who is ALLOWED; everyone else must be denied. Nobody outside A is
ever allowed anything, so `other:*` and `anon` never appear here.

Storage buckets and Realtime topics are rows too. Every table, view,
sequence and function of ours that `anon` or `authenticated` can reach has its
row here (tests/security/test_coverage.py fails otherwise): the policies in
EXPECTED, the privileges in GRANTS, the functions in FUNCTIONS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tests.security.world import CIPHERTEXT, World

C, F, M, S, A = "citizen", "field_worker", "manager", "saps_liaison", "admin"
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset({C, F, M, S, A})
STAFF = frozenset({F, M, S, A})
OPS = ("select", "insert", "update", "delete")


def who(*roles: str) -> frozenset[str]:
    return frozenset(roles)


# object -> (select, insert, update, delete): who in municipality A is allowed.
EXPECTED: dict[str, tuple[frozenset[str], ...]] = {
    #                              select          insert         update         delete
    # Admins set their municipality's WhatsApp number (0018); nothing else of it.
    "municipalities:own":         (EVERYONE,      NOBODY,        who(A),        NOBODY),
    "profiles:own":               (EVERYONE,      NOBODY,        EVERYONE,      NOBODY),
    "profiles:resident":          (who(M, A),     NOBODY,        who(A),        NOBODY),
    # Someone whose only report is protected: not the managers' to see.
    "profiles:survivor":          (who(S, A),     NOBODY,        who(A),        NOBODY),
    "profiles:staff":             (STAFF,         NOBODY,        who(A),        NOBODY),
    "teams:ordinary":             (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "teams:saps":                 (STAFF,         who(A),        who(A),        who(A)),
    "team_members:ordinary":      (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "team_members:saps":          (STAFF,         who(A),        who(A),        who(A)),
    "tickets:own":                (who(C, F, M, A), who(C),      who(F, M, A),  NOBODY),
    "tickets:others":             (who(M, A),     NOBODY,        who(M, A),     NOBODY),
    # Protected reports are filed through the service (it holds the key): users
    # never write ciphertext.
    "tickets:sensitive":          (who(S, A),     NOBODY,        who(S, A),     NOBODY),
    # History is written by the database (routing, assign_ticket), never by hand.
    "ticket_assignments:ordinary": (who(F, M, A), NOBODY,        NOBODY,        NOBODY),
    "ticket_assignments:sensitive": (who(S, A),   NOBODY,        NOBODY,        NOBODY),
    "sla_policies:water":         (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "sla_policies:gbv":           (STAFF,         who(S, A),     who(S, A),     who(S, A)),
    "media_attachments:evidence": (who(C, F, M, A), who(C, F, M, A), NOBODY,   NOBODY),
    "media_attachments:gbv":      (who(S, A),     who(S, A),     NOBODY,        NOBODY),
    "media_attachments:proof":    (who(M, A),     EVERYONE,      NOBODY,        NOBODY),
    "consent_records:own":        (EVERYONE,      EVERYONE,      EVERYONE,      NOBODY),
    "consent_records:resident":   (who(A),        NOBODY,        NOBODY,        NOBODY),
    "notification_outbox:ticket": (who(A),        NOBODY,        NOBODY,        NOBODY),
    "media_access_log:gbv":       (who(A),        NOBODY,        NOBODY,        NOBODY),
    # The WhatsApp channel's tables are the webhook's and workers' (service role).
    "whatsapp_conversations:own": (NOBODY,        NOBODY,        NOBODY,        NOBODY),
    "whatsapp_inbound_messages:own": (NOBODY,     NOBODY,        NOBODY,        NOBODY),
    "whatsapp_media_jobs:own":    (NOBODY,        NOBODY,        NOBODY,        NOBODY),
    "whatsapp_templates:any":     (NOBODY,        NOBODY,        NOBODY,        NOBODY),
    "notification_delivery_events:any": (NOBODY,  NOBODY,        NOBODY,        NOBODY),
    # Internal notes (0013): staff who can see the ticket; append-only; never the citizen.
    "ticket_notes:ordinary":      (who(F, M, A),  who(F, M, A),  NOBODY,        NOBODY),
    "ticket_notes:sensitive":     (who(S, A),     who(S, A),     NOBODY,        NOBODY),
    # Protected casework (0013): opened by the database when a protected report is filed.
    "protected_casework:ticket":  (who(S, A),     NOBODY,        who(S, A),     NOBODY),
    # Child cases (0016): the referral opens with the case; escalations are the job's.
    "dsd_referrals:ticket":       (who(S, A),     NOBODY,        who(S, A),     NOBODY),
    "child_case_escalations:ticket": (who(S, A),  NOBODY,        NOBODY,        NOBODY),
    # Staff invitations (0018): admins only, append-only (the record of who invited whom).
    "staff_invitations:pending":  (who(A),        who(A),        NOBODY,        NOBODY),
    # Places (0014): staff read; managers and admins manage.
    "places:town":                (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "message_templates:draft":    (STAFF,         who(M, A),     who(A),        NOBODY),
    "message_template_keys:any":  (STAFF,         NOBODY,        NOBODY,        NOBODY),
    # Languages (0015): which exist is no secret; only the platform adds or switches them.
    "languages:any":              (EVERYONE,      NOBODY,        NOBODY,        NOBODY),
    "data_subject_requests:own":  (EVERYONE,      EVERYONE,      who(A),        NOBODY),
    "data_subject_requests:resident": (who(A),    NOBODY,        who(A),        NOBODY),
    "breach_register:own":        (who(A),        who(A),        who(A),        NOBODY),
    "operators_register:own":     (who(A),        who(A),        who(A),        NOBODY),
    "retention_policies:own":     (who(A),        who(A),        who(A),        NOBODY),
    "audit_log:ordinary":         (who(M, A),     NOBODY,        NOBODY,        NOBODY),
    "audit_log:sensitive":        (who(S, A),     NOBODY,        NOBODY,        NOBODY),
    "audit_log:consent":          (who(A),        NOBODY,        NOBODY,        NOBODY),
    # Duplicates and Open311 (0012). The citizen follows someone else's report.
    "duplicate_rules:water":      (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "ticket_followers:citizen":   (who(C, M, A),  NOBODY,        NOBODY,        who(C)),
    "open311_clients:client":     (who(A),        NOBODY,        who(A),        NOBODY),
    "open311_submissions:ticket": (who(M, A),     NOBODY,        NOBODY,        NOBODY),
    "ticket_updates:ordinary":    (who(F, M, A),  NOBODY,        NOBODY,        NOBODY),
    # Storage (0005): objects live at {tenant_id}/{user or ticket id}/...; the
    # Storage server selects (download), inserts (upload), updates (upsert) and
    # deletes as the caller. "own" = the actor's own user folder, uploaded by them.
    "storage:evidence/own-folder":   (EVERYONE,      EVERYONE,      EVERYONE,     EVERYONE),
    # (0005's delete policy names admins, but a DELETE must also pass the SELECT
    # policies, which keep a user's own evidence folder private: nobody else deletes.)
    "storage:evidence/resident":     (NOBODY,        NOBODY,        NOBODY,       NOBODY),
    "storage:evidence/ticket":       (who(C, F, M, A), who(C, F, M, A), who(C),   who(C, A)),
    # The same, before its post-upload check has passed: its uploader's alone.
    "storage:evidence/unchecked":    (who(C),        who(C, F, M, A), who(C),     who(C)),
    "storage:documents/own-folder":  (EVERYONE,      EVERYONE,      EVERYONE,     EVERYONE),
    "storage:documents/resident":    (who(M, A),     NOBODY,        NOBODY,       NOBODY),
    "storage:gbv-evidence/ticket":   (who(S, A),     who(S, A),     who(S, A),    who(S, A)),
    # Realtime (0007): select = may receive on the topic, insert = may send.
    # Each audience is the tickets read policy's: managers and admins read every
    # ordinary ticket, field workers their teams', liaisons protected ones.
    "realtime:municipality":      (who(M, A),     NOBODY,        NOBODY,        NOBODY),
    "realtime:team":              (who(F),        NOBODY,        NOBODY,        NOBODY),
    "realtime:gbv":               (who(S, A),     NOBODY,        NOBODY,        NOBODY),
    # A staff member's own channel (0016): the liaison's here, received by them alone.
    "realtime:staff":             (who(S),        NOBODY,        NOBODY,        NOBODY),
}

# Rows that belong to no municipality (the platform's vocabulary of message keys): a
# role's cell holds for the same role of any municipality.
PLATFORM_WIDE = frozenset({"message_template_keys:any", "languages:any"})

Statement = tuple[str, tuple[Any, ...]]
Build = Callable[[World, UUID], Statement]


@dataclass(frozen=True)
class Target:
    """How to exercise one object: a statement per operation (None = not applicable
    beyond the grant check, which `deny_all` covers)."""

    select: Build
    insert: Build
    update: Build
    delete: Build


def target(table: str, key: str | Callable[[World, UUID], Any], set_clause: str,
           insert: Build) -> Target:
    pick: Callable[[World, UUID], Any] = (
        key if callable(key) else (lambda w, me, k=key: w[k]))  # type: ignore[misc]
    return Target(
        select=lambda w, me: (f"select 1 from {table} where id = %s", (pick(w, me),)),
        insert=insert,
        update=lambda w, me: (f"update {table} set {set_clause} where id = %s", (pick(w, me),)),
        delete=lambda w, me: (f"delete from {table} where id = %s", (pick(w, me),)),
    )


def members(team_key: str, user_key: str) -> Target:
    where = "team_id = %s and user_id = %s"
    t = "public.team_members"

    def ids(w: World) -> tuple[Any, ...]:
        return (w[team_key], w.tenant.users[user_key])

    return Target(
        select=lambda w, me: (f"select 1 from {t} where {where}", ids(w)),
        insert=lambda w, me: (f"insert into {t} (team_id, user_id, tenant_id) values (%s, %s, %s)",
                              (w[team_key], w["crew"], w.tenant.id)),
        update=lambda w, me: (f"update {t} set user_id = user_id where {where}", ids(w)),
        delete=lambda w, me: (f"delete from {t} where {where}", ids(w)),
    )


_TICKET = ("insert into public.tickets (tenant_id, reporter_id, category, description,"
           " is_sensitive) values (%s, %s, %s, %s, %s)")
_PROTECTED = ("insert into public.tickets (tenant_id, reporter_id, category,"
              " encrypted_description, is_sensitive) values (%s, %s, %s, %s, %s)")
_ASSIGN = ("insert into public.ticket_assignments (tenant_id, ticket_id, team_id, is_current)"
           " values (%s, %s, %s, false)")
_MEDIA = ("insert into public.media_attachments (tenant_id, ticket_id, user_id, bucket, path,"
          " purpose) values (%s, %s, %s, %s, %s, %s)")
_CONSENT = ("insert into public.consent_records (tenant_id, user_id, purpose, purpose_description,"
            " consented, consent_version, privacy_policy_version)"
            " values (%s, %s, 'marketing', 'News', false, '1', '1')")
_NOTE = "insert into public.ticket_notes (ticket_id, body, encrypted_body) values (%s, %s, %s)"
_TEAM = "insert into public.teams (tenant_id, name, categories, is_saps) values (%s, %s, %s, %s)"


def _own_consent(w: World, me: UUID) -> Any:
    return next(w[k] for k, v in w.ids.items() if k.startswith("consent:")
                and w.tenant.users[k.split(":", 1)[1]] == me)


def casework() -> Target:
    t, where = "public.protected_casework", "ticket_id = %s"
    return Target(
        select=lambda w, me: (f"select 1 from {t} where {where}", (w["ticket_sensitive"],)),
        insert=lambda w, me: (f"insert into {t} (ticket_id, tenant_id, channel)"
                              " values (%s, %s, 'web')", (w["ticket_own"], w.tenant.id)),
        update=lambda w, me: (f"update {t} set cas_number = 'CAS 1/11/2026' where {where}",
                              (w["ticket_sensitive"],)),
        delete=lambda w, me: (f"delete from {t} where {where}", (w["ticket_sensitive"],)),
    )


def by_ticket(table: str, set_clause: str, insert: str) -> Target:
    """A row kept per protected report (the world's, flagged as a child case)."""
    where = "ticket_id = %s"
    return Target(
        select=lambda w, me: (f"select 1 from {table} where {where}", (w["ticket_sensitive"],)),
        insert=lambda w, me: (insert, (w["ticket_own"], w.tenant.id)),
        update=lambda w, me: (f"update {table} set {set_clause} where {where}",
                              (w["ticket_sensitive"],)),
        delete=lambda w, me: (f"delete from {table} where {where}", (w["ticket_sensitive"],)),
    )


TARGETS: dict[str, Target] = {
    "municipalities:own": target(
        "public.municipalities", lambda w, me: w.tenant.id,
        "whatsapp_number = whatsapp_number",
        lambda w, me: ("insert into public.municipalities (code, name, province)"
                       " values ('ZZMATRIX', 'Matrix', 'GP')", ())),
    "profiles:own": target(
        "public.profiles", lambda w, me: me, "full_name = 'Renamed'",
        lambda w, me: ("insert into public.profiles (id, tenant_id) values (%s, %s)",
                       (w["newcomer"], w.tenant.id))),
    **{f"profiles:{name}": target(
        "public.profiles", key, "full_name = 'Renamed'",
        lambda w, me: ("insert into public.profiles (id, tenant_id) values (%s, %s)",
                       (w["newcomer"], w.tenant.id)))
       for name, key in (("resident", "resident"), ("survivor", "survivor"), ("staff", "crew"))},
    "teams:ordinary": target(
        "public.teams", "team", "name = name || ' x'",
        lambda w, me: (_TEAM, (w.tenant.id, "New roads team", ["roads"], False))),
    "teams:saps": target(
        "public.teams", "saps_team", "name = name || ' x'",
        lambda w, me: (_TEAM, (w.tenant.id, "New SAPS team", ["gbv"], True))),
    "team_members:ordinary": members("team", "field_worker"),
    "team_members:saps": members("saps_team", "saps_liaison"),
    "tickets:own": target(
        "public.tickets", "ticket_own", "status = 'in_progress'",
        lambda w, me: (_TICKET, (w.tenant.id, me, "water", "Leak", False))),
    "tickets:others": target(
        "public.tickets", "ticket_others", "status = 'in_progress'",
        lambda w, me: (_TICKET, (w.tenant.id, w["resident"], "water", "Leak", False))),
    "tickets:sensitive": target(
        "public.tickets", "ticket_sensitive", "status = 'in_progress'",
        lambda w, me: (_PROTECTED, (w.tenant.id, me, "gbv", CIPHERTEXT, True))),
    "ticket_assignments:ordinary": target(
        "public.ticket_assignments", "assignment", "is_current = false",
        lambda w, me: (_ASSIGN, (w.tenant.id, w["ticket_own"], w["team"]))),
    "ticket_assignments:sensitive": target(
        "public.ticket_assignments", "assignment_sensitive", "is_current = false",
        lambda w, me: (_ASSIGN, (w.tenant.id, w["ticket_sensitive"], w["saps_team"]))),
    "sla_policies:water": target(
        "public.sla_policies", "sla", "response_hours = 2",
        lambda w, me: ("insert into public.sla_policies (tenant_id, category, response_hours,"
                       " resolution_hours) values (%s, 'roads', 8, 72)", (w.tenant.id,))),
    "sla_policies:gbv": target(
        "public.sla_policies", "sla_gbv", "resolution_hours = 9999",
        lambda w, me: ("insert into public.sla_policies (tenant_id, category, response_hours,"
                       " resolution_hours) values (%s, 'gbv', 2, 48)"
                       " on conflict (tenant_id, category, priority)"
                       " do update set response_hours = 2",
                       (w.tenant.id,))),
    "media_attachments:evidence": target(
        "public.media_attachments", "media", "is_processed = true",
        lambda w, me: (_MEDIA, (w.tenant.id, w["ticket_own"], me, "evidence",
                                f"{w.tenant.id}/{w['ticket_own']}/new.jpg", "evidence"))),
    "media_attachments:gbv": target(
        "public.media_attachments", "media_sensitive", "is_processed = true",
        lambda w, me: (_MEDIA, (w.tenant.id, w["ticket_sensitive"], me, "gbv-evidence",
                                f"{w.tenant.id}/{w['ticket_sensitive']}/new.jpg", "evidence"))),
    "media_attachments:proof": target(
        "public.media_attachments", "media_proof", "is_processed = true",
        lambda w, me: (_MEDIA, (w.tenant.id, None, me, "documents",
                                f"{w.tenant.id}/{me}/proof.pdf", "proof_of_residence"))),
    "consent_records:own": target(
        "public.consent_records", _own_consent, "withdrawn_at = now()",
        lambda w, me: (_CONSENT, (w.tenant.id, me))),
    "consent_records:resident": target(
        "public.consent_records", "consent_resident", "withdrawn_at = now()",
        lambda w, me: (_CONSENT, (w.tenant.id, w["resident"]))),
    "ticket_notes:ordinary": target(
        "public.ticket_notes", "note", "body = 'changed'",
        lambda w, me: (_NOTE, (w["ticket_own"], "On site", None))),
    "ticket_notes:sensitive": target(
        "public.ticket_notes", "note_sensitive", "encrypted_body = encrypted_body",
        lambda w, me: (_NOTE, (w["ticket_sensitive"], None, CIPHERTEXT))),
    "protected_casework:ticket": casework(),
    "dsd_referrals:ticket": by_ticket(
        "public.dsd_referrals", "child_age = 7",
        "insert into public.dsd_referrals (ticket_id, tenant_id) values (%s, %s)"),
    "child_case_escalations:ticket": by_ticket(
        "public.child_case_escalations", "backup_id = null",
        "insert into public.child_case_escalations (ticket_id, tenant_id, acknowledge_by,"
        " escalated_at) values (%s, %s, now(), now())"),
    "staff_invitations:pending": target(
        "public.staff_invitations", "invitation", "full_name = full_name",
        lambda w, me: ("insert into public.staff_invitations (tenant_id, email, full_name, role)"
                       " values (%s, 'new.person@matrix.example', 'New Person', 'field_worker')",
                       (w.tenant.id,))),
    "places:town": target(
        "public.places", "place", "name = name || ' x'",
        lambda w, me: ("insert into public.places (tenant_id, name, geom) values (%s, 'New"
                       " Town', extensions.st_geogfromtext('POINT(18.9 -33.9)'))",
                       (w.tenant.id,))),
    "notification_outbox:ticket": target(
        "public.notification_outbox", "outbox", "status = 'cancelled'",
        lambda w, me: ("insert into public.notification_outbox (tenant_id, recipient,"
                       " template_key) values (%s, '+27820000002', 'x')", (w.tenant.id,))),
    "media_access_log:gbv": target(
        "public.media_access_log", "access_log", "user_id = user_id",
        lambda w, me: ("insert into public.media_access_log (tenant_id, media_id, user_id)"
                       " values (%s, %s, %s)", (w.tenant.id, w["media_sensitive"], me))),
    "whatsapp_conversations:own": target(
        "public.whatsapp_conversations", "conversation", "state = 'menu'",
        lambda w, me: ("insert into public.whatsapp_conversations (tenant_id, phone)"
                       " values (%s, '+27820000009')", (w.tenant.id,))),
    "whatsapp_inbound_messages:own": Target(
        select=lambda w, me: ("select 1 from public.whatsapp_inbound_messages"
                              " where message_sid = %s", (w["inbound"],)),
        insert=lambda w, me: ("insert into public.whatsapp_inbound_messages (message_sid,"
                              " tenant_id) values ('SMmatrixforged0001', %s)", (w.tenant.id,)),
        update=lambda w, me: ("update public.whatsapp_inbound_messages set reply = 'x'"
                              " where message_sid = %s", (w["inbound"],)),
        delete=lambda w, me: ("delete from public.whatsapp_inbound_messages"
                              " where message_sid = %s", (w["inbound"],))),
    "whatsapp_media_jobs:own": target(
        "public.whatsapp_media_jobs", "media_job", "status = 'discard'",
        lambda w, me: ("insert into public.whatsapp_media_jobs (tenant_id, message_sid,"
                       " media_index, media_url) values (%s, 'SMmatrixforged0002', 0,"
                       " 'https://example.org/x')", (w.tenant.id,))),
    "whatsapp_templates:any": Target(
        select=lambda w, me: ("select 1 from public.whatsapp_templates where template_key = %s",
                              (w["template"],)),
        insert=lambda w, me: ("insert into public.whatsapp_templates (template_key, language,"
                              " content_sid) values ('forged', 'en', %s)", ("HX" + "0" * 32,)),
        update=lambda w, me: ("update public.whatsapp_templates set variable_names = '{}'"
                              " where template_key = %s", (w["template"],)),
        delete=lambda w, me: ("delete from public.whatsapp_templates where template_key = %s",
                              (w["template"],))),
    "notification_delivery_events:any": target(
        "public.notification_delivery_events", "delivery", "status = 'read'",
        lambda w, me: ("insert into public.notification_delivery_events (message_sid, status)"
                       " values ('SMmatrixforged0003', 'sent')", ())),
    "message_template_keys:any": Target(
        select=lambda w, me: ("select 1 from public.message_template_keys"
                              " where template_key = 'filed'", ()),
        insert=lambda w, me: ("insert into public.message_template_keys (template_key, kind,"
                              " variables) values ('matrix_key', 'conversation', '{}')", ()),
        update=lambda w, me: ("update public.message_template_keys set variables = variables"
                              " where template_key = 'filed'", ()),
        delete=lambda w, me: ("delete from public.message_template_keys"
                              " where template_key = 'filed'", ()),
    ),
    "languages:any": Target(
        select=lambda w, me: ("select 1 from public.languages where code = 'xh'", ()),
        insert=lambda w, me: ("insert into public.languages (code, name, menu_order)"
                              " values ('zz', 'Matrix', 98)", ()),
        update=lambda w, me: ("update public.languages set active = false where code = 'xh'",
                              ()),
        delete=lambda w, me: ("delete from public.languages where code = 'xh'", ()),
    ),
    "message_templates:draft": target(
        "public.message_templates", "template_draft", "status = 'retired'",
        lambda w, me: ("insert into public.message_templates (tenant_id, template_key, language,"
                       " body) values (%s, 'filed', 'zu', 'Ref {tracking_number}')",
                       (w.tenant.id,))),
    "data_subject_requests:own": target(
        "public.data_subject_requests",
        lambda w, me: next(w[k] for k in w.ids if k.startswith("dsr:")
                           and w.tenant.users[k.split(":", 1)[1]] == me),
        "extension_reason = extension_reason",
        lambda w, me: ("insert into public.data_subject_requests (tenant_id, user_id, kind)"
                       " values (%s, %s, 'deletion')", (w.tenant.id, me))),
    "data_subject_requests:resident": target(
        "public.data_subject_requests", "dsr_resident", "extension_reason = extension_reason",
        lambda w, me: ("insert into public.data_subject_requests (tenant_id, user_id, kind)"
                       " values (%s, %s, 'deletion')", (w.tenant.id, w["resident"]))),
    "breach_register:own": target(
        "public.breach_register", "breach", "remedies = 'Passwords reset'",
        lambda w, me: ("insert into public.breach_register (tenant_id, discovered_at,"
                       " breach_type, description) values (%s, now(), 'availability',"
                       " 'Outage of the report form')", (w.tenant.id,))),
    "operators_register:own": target(
        "public.operators_register", "operator", "service = 'Hosting and backups'",
        lambda w, me: ("insert into public.operators_register (tenant_id, name, service,"
                       " country) values (%s, 'Another Operator', 'Printing', 'ZA')",
                       (w.tenant.id,))),
    "retention_policies:own": target(
        "public.retention_policies", "retention", "retain_days = 999",
        lambda w, me: ("insert into public.retention_policies (tenant_id, kind, retain_days,"
                       " action) values (%s, 'media', 400, 'delete')", (w.tenant.id,))),
    **{f"audit_log:{name}": target(
        "public.audit_log", key, "actor_role = 'forged'",
        lambda w, me: ("insert into public.audit_log (tenant_id, actor_role, operation,"
                       " table_name) values (%s, 'forged', 'INSERT', 'tickets')",
                       (w.tenant.id,)))
       for name, key in (("ordinary", "audit"), ("sensitive", "audit_sensitive"),
                         ("consent", "audit_consent"))},
    "duplicate_rules:water": target(
        "public.duplicate_rules", "duplicate_rule", "radius_m = 60",
        lambda w, me: ("insert into public.duplicate_rules (tenant_id, category)"
                       " values (%s, 'roads')", (w.tenant.id,))),
    "ticket_followers:citizen": target(
        "public.ticket_followers", "follower", "source = 'web'",
        lambda w, me: ("insert into public.ticket_followers (tenant_id, ticket_id, user_id,"
                       " source) values (%s, %s, %s, 'web')",
                       (w.tenant.id, w["ticket_own"], me))),
    "open311_clients:client": target(
        "public.open311_clients", "open311_client", "revoked_at = now()",
        lambda w, me: ("insert into public.open311_clients (tenant_id, name, key_hash,"
                       " key_prefix) values (%s, 'Forged', repeat('a', 64), 'o311_xx')",
                       (w.tenant.id,))),
    "open311_submissions:ticket": target(
        "public.open311_submissions", "open311_submission", "media_url = null",
        lambda w, me: ("insert into public.open311_submissions (tenant_id, ticket_id,"
                       " client_id, fingerprint) values (%s, %s, %s, repeat('1', 64))",
                       (w.tenant.id, w["ticket_own"], w["open311_client"]))),
    "ticket_updates:ordinary": target(
        "public.ticket_updates", "ticket_update", "description = 'x'",
        lambda w, me: ("insert into public.ticket_updates (tenant_id, ticket_id, status,"
                       " source) values (%s, %s, 'open', 'staff')",
                       (w.tenant.id, w["ticket_own"]))),
}


def storage_target(bucket: str, folder: Callable[[World, UUID], Any], leaf: str) -> Target:
    def name(w: World, me: UUID, file: str) -> str:
        return f"{w.tenant.id}/{folder(w, me)}/{file}"

    where = "bucket_id = %s and name = %s"
    return Target(
        select=lambda w, me: (f"select 1 from storage.objects where {where}",
                              (bucket, name(w, me, leaf))),
        insert=lambda w, me: ("insert into storage.objects (bucket_id, name, owner_id, metadata)"
                              " values (%s, %s, %s, '{\"mimetype\": \"image/jpeg\"}')",
                              (bucket, name(w, me, "upload.jpg"), str(me))),
        update=lambda w, me: (f"update storage.objects set metadata = '{{}}' where {where}",
                              (bucket, name(w, me, leaf))),
        delete=lambda w, me: (f"delete from storage.objects where {where}",
                              (bucket, name(w, me, leaf))),
    )


def storage_leaf(key: str) -> str:
    """The existing file of a storage row; `unchecked` files never pass their check."""
    return "unchecked.jpg" if key.endswith("/unchecked") else "existing.jpg"


Pick = Callable[[World, UUID], Any]

# object -> (bucket, folder under the municipality, who uploaded the existing file)
STORAGE_TARGETS: dict[str, tuple[str, Pick, Pick]] = {
    "storage:evidence/own-folder": ("evidence", lambda w, me: me, lambda w, me: me),
    "storage:evidence/resident": ("evidence", lambda w, me: w["resident"],
                                  lambda w, me: w["resident"]),
    "storage:evidence/ticket": ("evidence", lambda w, me: w["ticket_own"],
                                lambda w, me: w.tenant.users["citizen"]),
    "storage:evidence/unchecked": ("evidence", lambda w, me: w["ticket_own"],
                                   lambda w, me: w.tenant.users["citizen"]),
    "storage:documents/own-folder": ("documents", lambda w, me: me, lambda w, me: me),
    "storage:documents/resident": ("documents", lambda w, me: w["resident"],
                                   lambda w, me: w["resident"]),
    "storage:gbv-evidence/ticket": ("gbv-evidence", lambda w, me: w["ticket_sensitive"],
                                    lambda w, me: w.tenant.users["saps_liaison"]),
}
for _key, (_bucket, _folder, _owner) in STORAGE_TARGETS.items():
    TARGETS[_key] = storage_target(_bucket, _folder, storage_leaf(_key))


# object -> the channel topic it stands for
REALTIME_TOPICS: dict[str, Callable[[World], str]] = {
    "realtime:municipality": lambda w: f"municipality:{w.tenant.id}",
    "realtime:team": lambda w: f"team:{w['team']}",
    "realtime:gbv": lambda w: f"gbv:{w.tenant.id}",
    "realtime:staff": lambda w: f"staff:{w.tenant.users['saps_liaison']}",
}


def realtime_target(key: str) -> Target:
    topic = REALTIME_TOPICS[key]
    probe = "select 1 from realtime.messages where topic = %s and id = %s"
    return Target(
        select=lambda w, me: (probe, (topic(w), w[f"probe:{key}"])),
        insert=lambda w, me: ("insert into realtime.messages (topic, extension, payload, event,"
                              " private) values (%s, 'broadcast', '{}', 'x', true)", (topic(w),)),
        update=lambda w, me: ("update realtime.messages set payload = '{}' where topic = %s"
                              " and id = %s", (topic(w), w[f"probe:{key}"])),
        delete=lambda w, me: ("delete from realtime.messages where topic = %s and id = %s",
                              (topic(w), w[f"probe:{key}"])),
    )


for _key in REALTIME_TOPICS:
    TARGETS[_key] = realtime_target(_key)

assert set(TARGETS) == set(EXPECTED), set(TARGETS) ^ set(EXPECTED)


# ---------------------------------------------------------------------------
# Privileges (not only policies): what `anon` and `authenticated` hold on every
# table, view and sequence of the schemas a signed-in user can reach with SQL.
# "select insert(cols)" = SELECT on the table, INSERT on some columns only.
# Anything not listed must be held by neither role. TRUNCATE, REFERENCES,
# TRIGGER and every sequence are held by nobody.
# ---------------------------------------------------------------------------
GRANTS: dict[str, dict[str, str]] = {
    # Ours: each grant is what the policies then narrow, row by row.
    "public.audit_log": {"authenticated": "select"},
    "public.consent_records": {"authenticated": "select insert update(cols)"},
    "public.media_access_log": {"authenticated": "select"},
    "public.media_attachments": {"authenticated": "select insert"},
    "public.municipalities": {"authenticated": "select update(cols)"},
    "public.notification_outbox": {"authenticated": "select"},
    "public.profiles": {"authenticated": "select update(cols)"},
    "public.sla_policies": {"authenticated": "select insert update delete"},
    "public.team_members": {"authenticated": "select insert update delete"},
    "public.teams": {"authenticated": "select insert update delete"},
    "public.ticket_assignments": {"authenticated": "select"},
    "public.tickets": {"authenticated": "select insert(cols) update(cols)"},
    "public.ticket_notes": {"authenticated": "select insert(cols)"},
    "public.protected_casework": {"authenticated": "select update(cols)"},
    "public.dsd_referrals": {"authenticated": "select update(cols)"},
    "public.child_case_escalations": {"authenticated": "select"},
    "public.places": {"authenticated": "select insert update delete"},
    "public.staff_invitations": {"authenticated": "select insert(cols)"},
    "public.duplicate_rules": {"authenticated": "select insert update delete"},
    "public.breach_register": {"authenticated": "select insert update"},
    "public.data_subject_requests": {"authenticated": "select insert(cols) update(cols)"},
    "public.message_template_keys": {"authenticated": "select"},
    "public.languages": {"authenticated": "select"},
    "public.message_templates": {"authenticated": "select insert(cols) update(cols)"},
    "public.operators_register": {"authenticated": "select insert update"},
    "public.retention_policies": {"authenticated": "select insert(cols) update(cols)"},
    "public.open311_clients": {"authenticated": "select(cols) update(cols)"},
    "public.open311_submissions": {"authenticated": "select"},
    "public.ticket_followers": {"authenticated": "select delete"},
    "public.ticket_updates": {"authenticated": "select"},
    # Supabase's: its Storage and Realtime servers act as the caller through these
    # grants; the policies of 0005/0008 and 0007/0008 decide every row.
    # (Storage's owner also grants truncate, references and trigger, which our migrations
    # cannot revoke on Supabase: a statement trigger refuses TRUNCATE, and the API roles
    # can create nothing to reference from or to hang a trigger with.)
    "storage.buckets": {"anon": "select insert update delete truncate references trigger",
                        "authenticated": "select insert update delete truncate references "
                                         "trigger"},
    "storage.objects": {"anon": "select insert update delete truncate references trigger",
                        "authenticated": "select insert update delete truncate references "
                                         "trigger"},
    "realtime.messages": {"anon": "select insert update", "authenticated": "select insert update"},
    # PostGIS reference data (coordinate systems), the same for everyone.
    "extensions.spatial_ref_sys": {"anon": "select", "authenticated": "select"},
    "extensions.geography_columns": {"anon": "select", "authenticated": "select"},
    "extensions.geometry_columns": {"anon": "select", "authenticated": "select"},
}

# Every function `anon` or `authenticated` may execute in these schemas, and why
# it answers only about what the caller may read.
FUNCTIONS: dict[str, str] = {
    # Supabase's own helpers (claims of the caller's own token; path parsing).
    "auth.email": "the caller's own claims",
    "auth.jwt": "the caller's own claims",
    "auth.role": "the caller's own claims",
    "auth.uid": "the caller's own claims",
    "storage.extension": "pure string function",
    "storage.filename": "pure string function",
    "storage.foldername": "pure string function",
    "realtime.topic": "the caller's own setting",
    "realtime.send": "inserts as the caller: no insert policy lets a user send",
    "realtime.broadcast_changes": "calls realtime.send as the caller",
    "realtime.local_gateway_notify": "local platform trigger function",
    # Ours: the caller, as the database knows them now.
    "private.actor_id": "the caller's own id",
    "private.app_role": "the caller's own role (nothing once deactivated)",
    "private.tenant_id": "the caller's own municipality (nothing once deactivated)",
    "private.caller": "the caller's own profile row",
    "private.is_staff": "about the caller",
    "private.sees_sensitive": "about the caller",
    "private.sees_all_non_sensitive": "about the caller",
    "private.my_team_ids": "the caller's own teams",
    "private.may_receive_topic": "whether the caller may receive a topic",
    # Ours: pure functions.
    "private.as_uuid": "pure",
    "private.role_rank": "pure",
    "private.transition_allowed": "pure",
    "private.sla_status_at": "pure",
    "private.audit_tables_for_managers": "a constant list",
    "public.sla_status": "computed from a ticket row the caller already read",
    # Ours: answer only about rows the caller may read (each proven in
    # tests/security/test_helpers.py or the ticket tests).
    "private.can_see_ticket": "true only for tickets the caller may read",
    "private.storage_ticket_folder": "true only for tickets the caller may read",
    "private.evidence_bucket_for": "only for tickets the caller may add evidence to",
    "private.team_in_my_tenant": "staff only, their own municipality",
    "private.profile_in_my_tenant": "staff only, their own municipality",
    "private.reported_sensitive_ticket": "liaisons and admins only",
    "private.reported_ordinary_ticket": "managers and admins only",
    "private.may_serve_object": "reads media records through their policies",
    "private.log_media_access": "only media the caller may see",
    "private.record_sensitive_read": "only tickets the caller may read",
    "private.report_receipt": "only the caller's own report",
    "private.ticket_audit_entries": "only tickets the caller may read",
    "private.readable_tickets_at_address": "only tickets the caller may read",
    "private.submit_verification": "only the caller's own document",
    "private.decide_verification": "managers and admins, their municipality",
    "private.verification_cases": "managers and admins, their municipality",
    "public.assign_ticket": "staff who may assign, tickets they may read",
    "public.route_ticket": "through assign_ticket",
    "public.set_ticket_status": "as the caller, under RLS",
    "public.ticket_stats": "security invoker: counts only tickets the caller may read",
    "public.match_place": "security invoker: only places the caller may read",
    "private.plan_upload": "records the caller as the owner-to-be of a path they may upload",
    "storage.protect_delete": "Supabase's trigger: refuses deletes outside the Storage API",
    "private.possible_duplicates": "open ordinary reports of the caller's own municipality "
                                   "near a point (what the report form shows); never protected",
    "public.follow_ticket": "the caller follows an open ordinary report they may see",
    # POPIA (0011).
    "private.current_template_id": "approved (public) texts only, never drafts",
    "private.acknowledged_current_notice": "about the caller's own acknowledgement",
    "public.privacy_notice": "the public notice, approved versions only",
    "public.data_subject_bundle": "the person themself, or their municipality's admin",
    "public.verified_private_reports": "the person's own, only once an admin verified them",
    "public.erase_person": "admins of the person's municipality (or the service role)",
    "public.merge_ticket": "managers and admins, tickets they may read, never protected",
    "public.reply_to_reporter": "managers, liaisons and admins, tickets they may read; a "
                                "protected report only when its person asked for WhatsApp",
    # Public tracking (0020): for anyone holding a number; nothing for a protected report.
    "public.track_report": "status, category and dates of an ordinary report; nothing for a "
                           "protected or unknown number (tests/citizen/test_tracking.py)",
    # Open311 readers (schema open311, the only one besides public anon may use): status,
    # service, dates and a rounded location of ordinary reports; never a protected one.
    "open311.jurisdiction": "a municipality's public code and name",
    "open311.requests": "ordinary reports only, no personal fields",
    "open311.updates": "status updates of ordinary reports only",
    "open311.token": "ordinary reports only",
}
