"""THE table of expectations: who may select, insert, update and delete which row.

Actors: the five roles of municipality A, `anon`, and `other:<role>` — the same
role in municipality B. Every object below is a row of municipality A (the
"own" rows are those of A's user with the actor's role; for `other:<role>`
that is their counterpart in A, so the cell is a cross-tenant attempt).
A cell lists who is ALLOWED; everyone else must be denied. Nobody outside A is
ever allowed anything, so `other:*` and `anon` never appear here.

Storage buckets and Realtime topics are rows too; they take effect once the
migrations that create them (0005 buckets, 0007 topic policies) are present —
until then the matrix expects those to deny everyone.
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
    "municipalities:own":         (EVERYONE,      NOBODY,        NOBODY,        NOBODY),
    "profiles:own":               (EVERYONE,      NOBODY,        EVERYONE,      NOBODY),
    "profiles:resident":          (who(M, A),     NOBODY,        who(A),        NOBODY),
    "profiles:survivor":          (who(M, S, A),  NOBODY,        who(A),        NOBODY),
    "profiles:staff":             (who(M, S, A),  NOBODY,        who(A),        NOBODY),
    "teams:ordinary":             (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "teams:saps":                 (STAFF,         who(A),        who(A),        who(A)),
    "team_members:ordinary":      (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "team_members:saps":          (STAFF,         who(A),        who(A),        who(A)),
    "tickets:own":                (who(C, F, M, A), who(C),      who(F, M, A),  NOBODY),
    "tickets:others":             (who(M, A),     NOBODY,        who(M, A),     NOBODY),
    "tickets:sensitive":          (who(S, A),     who(C),        who(S, A),     NOBODY),
    "ticket_assignments:ordinary": (who(F, M, A), who(M, A),     who(M, A),     NOBODY),
    "ticket_assignments:sensitive": (who(S, A),   who(S, A),     who(S, A),     NOBODY),
    "sla_policies:water":         (STAFF,         who(M, A),     who(M, A),     who(M, A)),
    "media_attachments:evidence": (who(C, F, M, A), who(C, F, M, A), NOBODY,   NOBODY),
    "media_attachments:gbv":      (who(S, A),     who(S, A),     NOBODY,        NOBODY),
    "media_attachments:proof":    (who(M, A),     EVERYONE,      NOBODY,        NOBODY),
    "consent_records:own":        (EVERYONE,      EVERYONE,      EVERYONE,      NOBODY),
    "consent_records:resident":   (who(A),        NOBODY,        NOBODY,        NOBODY),
    "notification_outbox:ticket": (who(A),        NOBODY,        NOBODY,        NOBODY),
    "message_templates:draft":    (STAFF,         who(M, A),     who(A),        NOBODY),
    "data_subject_requests:own":  (EVERYONE,      EVERYONE,      who(A),        NOBODY),
    "data_subject_requests:resident": (who(A),    NOBODY,        who(A),        NOBODY),
    "breach_register:own":        (who(A),        who(A),        who(A),        NOBODY),
    "operators_register:own":     (who(A),        who(A),        who(A),        NOBODY),
    "retention_policies:own":     (who(A),        who(A),        who(A),        NOBODY),
    "audit_log:ordinary":         (who(M, A),     NOBODY,        NOBODY,        NOBODY),
    "audit_log:sensitive":        (who(S, A),     NOBODY,        NOBODY,        NOBODY),
    "audit_log:consent":          (who(A),        NOBODY,        NOBODY,        NOBODY),
    # Storage (0005): objects live at {tenant_id}/{user or ticket id}/...; the
    # Storage server selects (download), inserts (upload), updates (upsert) and
    # deletes as the caller. "own" = the actor's own user folder, uploaded by them.
    "storage:evidence/own-folder":   (EVERYONE,      EVERYONE,      EVERYONE,     EVERYONE),
    # (0005's delete policy names admins, but a DELETE must also pass the SELECT
    # policies, which keep a user's own evidence folder private: nobody else deletes.)
    "storage:evidence/resident":     (NOBODY,        NOBODY,        NOBODY,       NOBODY),
    "storage:evidence/ticket":       (who(C, F, M, A), who(C, F, M, A), who(C),   who(C, A)),
    "storage:documents/own-folder":  (EVERYONE,      EVERYONE,      EVERYONE,     EVERYONE),
    "storage:documents/resident":    (who(M, A),     NOBODY,        NOBODY,       NOBODY),
    "storage:gbv-evidence/ticket":   (who(S, A),     who(S, A),     who(S, A),    who(S, A)),
    # Realtime (0007): select = may receive on the topic, insert = may send.
    "realtime:municipality":      (STAFF,         NOBODY,        NOBODY,        NOBODY),
    "realtime:gbv":               (who(S, A),     NOBODY,        NOBODY,        NOBODY),
}

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
           " encrypted_description, is_sensitive) values (%s, %s, %s, %s, %s, %s)")
_ASSIGN = ("insert into public.ticket_assignments (tenant_id, ticket_id, team_id, is_current)"
           " values (%s, %s, %s, false)")
_MEDIA = ("insert into public.media_attachments (tenant_id, ticket_id, user_id, bucket, path,"
          " purpose) values (%s, %s, %s, %s, %s, %s)")
_CONSENT = ("insert into public.consent_records (tenant_id, user_id, purpose, purpose_description,"
            " consented, consent_version, privacy_policy_version)"
            " values (%s, %s, 'marketing', 'News', false, '1', '1')")
_TEAM = "insert into public.teams (tenant_id, name, categories, is_saps) values (%s, %s, %s, %s)"


def _own_consent(w: World, me: UUID) -> Any:
    return next(w[k] for k, v in w.ids.items() if k.startswith("consent:")
                and w.tenant.users[k.split(":", 1)[1]] == me)


TARGETS: dict[str, Target] = {
    "municipalities:own": target(
        "public.municipalities", lambda w, me: w.tenant.id, "name = name || ' x'",
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
        lambda w, me: (_TICKET, (w.tenant.id, me, "water", "Leak", None, False))),
    "tickets:others": target(
        "public.tickets", "ticket_others", "status = 'in_progress'",
        lambda w, me: (_TICKET, (w.tenant.id, w["resident"], "water", "Leak", None, False))),
    "tickets:sensitive": target(
        "public.tickets", "ticket_sensitive", "status = 'in_progress'",
        lambda w, me: (_TICKET, (w.tenant.id, me, "gbv", None, CIPHERTEXT, True))),
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
    "notification_outbox:ticket": target(
        "public.notification_outbox", "outbox", "status = 'cancelled'",
        lambda w, me: ("insert into public.notification_outbox (tenant_id, recipient,"
                       " template_key) values (%s, '+27820000002', 'x')", (w.tenant.id,))),
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
}


def storage_target(bucket: str, folder: Callable[[World, UUID], Any]) -> Target:
    def name(w: World, me: UUID, leaf: str) -> str:
        return f"{w.tenant.id}/{folder(w, me)}/{leaf}"

    where = "bucket_id = %s and name = %s"
    return Target(
        select=lambda w, me: (f"select 1 from storage.objects where {where}",
                              (bucket, name(w, me, "existing.jpg"))),
        insert=lambda w, me: ("insert into storage.objects (bucket_id, name, owner_id, metadata)"
                              " values (%s, %s, %s, '{\"mimetype\": \"image/jpeg\"}')",
                              (bucket, name(w, me, "upload.jpg"), str(me))),
        update=lambda w, me: (f"update storage.objects set metadata = '{{}}' where {where}",
                              (bucket, name(w, me, "existing.jpg"))),
        delete=lambda w, me: (f"delete from storage.objects where {where}",
                              (bucket, name(w, me, "existing.jpg"))),
    )


Pick = Callable[[World, UUID], Any]

# object -> (bucket, folder under the municipality, who uploaded the existing file)
STORAGE_TARGETS: dict[str, tuple[str, Pick, Pick]] = {
    "storage:evidence/own-folder": ("evidence", lambda w, me: me, lambda w, me: me),
    "storage:evidence/resident": ("evidence", lambda w, me: w["resident"],
                                  lambda w, me: w["resident"]),
    "storage:evidence/ticket": ("evidence", lambda w, me: w["ticket_own"],
                                lambda w, me: w.tenant.users["citizen"]),
    "storage:documents/own-folder": ("documents", lambda w, me: me, lambda w, me: me),
    "storage:documents/resident": ("documents", lambda w, me: w["resident"],
                                   lambda w, me: w["resident"]),
    "storage:gbv-evidence/ticket": ("gbv-evidence", lambda w, me: w["ticket_sensitive"],
                                    lambda w, me: w.tenant.users["saps_liaison"]),
}
for _key, (_bucket, _folder, _owner) in STORAGE_TARGETS.items():
    TARGETS[_key] = storage_target(_bucket, _folder)


def realtime_target(prefix: str) -> Target:
    def topic(w: World) -> str:
        return f"{prefix}:{w.tenant.id}"

    probe = "select 1 from realtime.messages where topic = %s and id = %s"
    return Target(
        select=lambda w, me: (probe, (topic(w), w[f"probe:{prefix}"])),
        insert=lambda w, me: ("insert into realtime.messages (topic, extension, payload, event,"
                              " private) values (%s, 'broadcast', '{}', 'x', true)", (topic(w),)),
        update=lambda w, me: ("update realtime.messages set payload = '{}' where topic = %s"
                              " and id = %s", (topic(w), w[f"probe:{prefix}"])),
        delete=lambda w, me: ("delete from realtime.messages where topic = %s and id = %s",
                              (topic(w), w[f"probe:{prefix}"])),
    )


TARGETS["realtime:municipality"] = realtime_target("municipality")
TARGETS["realtime:gbv"] = realtime_target("gbv")

assert set(TARGETS) == set(EXPECTED), set(TARGETS) ^ set(EXPECTED)
