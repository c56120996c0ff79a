"""The audit trail: one entry per change with the right before/after, written by
triggers for every writer; append-only for every role, the owner included."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from app.db import set_caller
from tests.security.world import CIPHERTEXT, build_world, world_people
from tests.support.db import ANON_CLAIMS, SERVICE_CLAIMS, act_as, fetch_all
from tests.support.tenants import ROLES, Tenant


async def entries(db: AsyncConnection[Any], table: str, record_id: Any) -> list[dict[str, Any]]:
    await act_as(db, None)
    return await fetch_all(
        db, "select * from public.audit_log where table_name = %s and record_id = %s"
        " order by id", (table, str(record_id)))


async def test_an_update_writes_one_entry_with_only_the_changed_columns(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    before = len(await entries(db, "tickets", w["ticket_others"]))
    await set_caller(db, tenant.claims["manager"], client_ip="198.51.100.7",
                     user_agent="dashboard/1.0")
    await db.execute("update public.tickets set address = '12 Main Rd', priority = 'high'"
                     " where id = %s", (w["ticket_others"],))
    log = await entries(db, "tickets", w["ticket_others"])
    assert len(log) == before + 1
    entry = log[-1]
    assert entry["operation"] == "UPDATE"
    assert entry["old_values"] == {"address": None, "priority": "normal"}
    # Personal values are sealed under the reporter's key (0011), readable while it exists.
    assert entry["new_values"]["priority"] == "high"
    sealed = entry["new_values"]["address"]
    assert sealed.startswith("pii:") and "12 Main Rd" not in sealed
    cur = await db.execute("select private.reveal_personal(%s) as clear", (sealed,))
    assert (await cur.fetchone())["clear"] == "12 Main Rd"  # type: ignore[index]
    assert entry["actor_id"] == tenant.users["manager"]
    assert entry["actor_role"] == "manager"
    assert entry["tenant_id"] == tenant.id
    assert (entry["client_ip"], entry["user_agent"]) == ("198.51.100.7", "dashboard/1.0")
    assert entry["is_sensitive"] is False


async def test_inserts_and_deletes_record_the_whole_row(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    await act_as(db, tenant.claims["manager"])
    cur = await db.execute(
        "insert into public.teams (tenant_id, name, categories) values (%s, 'Audit crew',"
        " '{roads}') returning id", (tenant.id,))
    row = await cur.fetchone()
    assert row is not None
    team_id = row["id"]
    await db.execute("delete from public.teams where id = %s", (team_id,))
    insert, delete = await entries(db, "teams", team_id)
    assert insert["operation"] == "INSERT" and insert["old_values"] is None
    assert insert["new_values"]["name"] == "Audit crew"
    assert insert["new_values"]["created_by"] == str(tenant.users["manager"])
    assert delete["operation"] == "DELETE" and delete["new_values"] is None
    assert delete["old_values"]["name"] == "Audit crew"


async def test_rows_without_an_id_are_keyed_by_their_key_columns(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    key = f"{w['team']}/{tenant.users['field_worker']}"
    (entry,) = await entries(db, "team_members", key)
    assert entry["operation"] == "INSERT"


async def test_a_change_of_nothing_but_timestamps_writes_no_entry(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    before = await entries(db, "tickets", w["ticket_own"])
    await act_as(db, tenant.claims["manager"])
    await db.execute("update public.tickets set status = status where id = %s",
                     (w["ticket_own"],))
    assert await entries(db, "tickets", w["ticket_own"]) == before


async def test_ciphertext_never_reaches_the_audit_log(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, SERVICE_CLAIMS)
    await db.execute("update public.tickets set encrypted_description = %s where id = %s",
                     (CIPHERTEXT + "rotated", w["ticket_sensitive"]))
    insert, update = await entries(db, "tickets", w["ticket_sensitive"])
    assert insert["new_values"]["encrypted_description"] == "[encrypted]"
    assert update["new_values"] == {"encrypted_description": "changed"}
    assert update["old_values"] == {"encrypted_description": "changed"}
    assert update["actor_role"] == "service_role"
    rows = await fetch_all(db, "select row_to_json(a)::text as t from public.audit_log a")
    assert not any(CIPHERTEXT in r["t"] for r in rows)


async def test_sensitive_entries_are_marked_and_hidden_from_managers(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    for table, key in (("tickets", "ticket_sensitive"),
                       ("ticket_assignments", "assignment_sensitive"),
                       ("media_attachments", "media_sensitive"),
                       ("protected_casework", "ticket_sensitive")):
        (entry,) = await entries(db, table, w[key])
        assert entry["is_sensitive"] is True, table
    sensitive_ids = [str(w[k]) for k in ("ticket_sensitive", "assignment_sensitive",
                                         "media_sensitive")]
    visible = {}
    for role in ROLES:
        await act_as(db, tenant.claims[role])
        rows = await fetch_all(
            db, "select count(*) as n from public.audit_log where record_id = any(%s)"
            " or new_values ->> 'ticket_id' = %s", (sensitive_ids, sensitive_ids[0]))
        visible[role] = rows[0]["n"]
    # the ticket, its assignment, its file, its casework (keyed by the ticket's id), the
    # world's internal note on it, its child referral and its escalation
    assert visible == {"citizen": 0, "field_worker": 0, "manager": 0,
                       "saps_liaison": 7, "admin": 7}


ROLE_CLAIMS = ["owner", "service_role", "anon", *ROLES]


@pytest.mark.parametrize("who", ROLE_CLAIMS)
@pytest.mark.parametrize("statement", [
    "update public.audit_log set actor_role = 'forged'",
    "delete from public.audit_log",
    "truncate public.audit_log",
])
async def test_nobody_alters_or_removes_audit_entries(
    db: AsyncConnection[Any], tenant: Tenant, who: str, statement: str
) -> None:
    await build_world(db, tenant)
    claims = {"owner": None, "service_role": SERVICE_CLAIMS, "anon": ANON_CLAIMS}.get(
        who, tenant.claims.get(who))
    await act_as(db, claims)
    with pytest.raises(psycopg.Error) as caught:
        await db.execute(statement)
    assert caught.value.sqlstate in {"42501", "SA403"}, caught.value


async def test_partitions_refuse_changes_even_when_addressed_directly(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    await build_world(db, tenant)
    (part,) = await fetch_all(
        db, "select tableoid::regclass::text as p from public.audit_log"
        " group by 1 order by 1 desc limit 1")
    for statement in (f"update {part['p']} set actor_role = 'forged'",
                      f"delete from {part['p']}", f"truncate {part['p']}"):
        await db.execute("savepoint s")
        with pytest.raises(psycopg.Error) as caught:
            await db.execute(statement)
        assert caught.value.sqlstate == "SA403", statement
        await db.execute("rollback to savepoint s")


async def test_an_entry_never_fails_for_lack_of_a_partition(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    rows = await fetch_all(
        db, "select 'private.audit_log_' || to_char(now() at time zone 'UTC', 'YYYY_MM') as p")
    current = rows[0]["p"]
    folks = await world_people(db, tenant)  # through Auth, before the table is locked
    await db.execute(f"alter table public.audit_log detach partition {current}")
    await db.execute(f"alter table {current} rename to audit_log_detached")
    w = await build_world(db, tenant, folks)
    (entry,) = await entries(db, "tickets", w["ticket_own"])
    rows = await fetch_all(db, "select to_regclass(%s) is not null as made", (current,))
    assert rows[0]["made"] and entry["operation"] == "INSERT"


async def test_partitions_are_created_ahead(db: AsyncConnection[Any]) -> None:
    rows = await fetch_all(
        db, "select count(*) as n from pg_inherits i join pg_class c on c.oid = i.inhrelid"
        " where i.inhparent = 'public.audit_log'::regclass"
        " and c.relname >= 'audit_log_' || to_char(now() + interval '3 months', 'YYYY_MM')")
    assert rows[0]["n"] >= 1
    await db.execute("select private.ensure_audit_partition('2031-05-10T12:00:00Z')")
    rows = await fetch_all(
        db, "select pg_get_expr(c.relpartbound, c.oid) as bound from pg_class c"
        " where c.oid = 'private.audit_log_2031_05'::regclass")
    assert "2031-05-01 00:00:00+00" in rows[0]["bound"]
    assert "2031-06-01 00:00:00+00" in rows[0]["bound"]


async def test_audit_entries_never_cross_municipalities(
    db: AsyncConnection[Any], tenant: Tenant, other_tenant: Tenant
) -> None:
    await build_world(db, tenant)
    for role in ROLES:
        await act_as(db, other_tenant.claims[role])
        rows = await fetch_all(db, "select count(*) as n from public.audit_log"
                                   " where tenant_id = %s", (tenant.id,))
        assert rows[0]["n"] == 0, role
    await act_as(db, None)


async def test_every_table_is_audited(db: AsyncConnection[Any]) -> None:
    """No exemptions: the WhatsApp tables and the media access log included (the audit
    log itself is the trail, and its own entries are hash-chained instead)."""
    rows = await fetch_all(
        db, "select c.relname, exists (select 1 from pg_trigger t where t.tgrelid = c.oid"
            " and t.tgname = 'audit_row') as audited from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'"
            " and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> 'audit_log'")
    assert len(rows) >= 16
    missing = sorted(r["relname"] for r in rows if not r["audited"])
    assert missing == [], f"tables without the private.audit_row() trigger: {missing}"


async def test_a_protected_whatsapp_draft_is_audited_without_its_place_or_our_replies(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    cur = await db.execute(
        "insert into public.whatsapp_conversations (tenant_id, phone, state, category)"
        " values (%s, '+27825550101', 'location', 'gbv') returning id", (tenant.id,))
    conv = (await cur.fetchone())["id"]  # type: ignore[index]
    await db.execute("update public.whatsapp_conversations set address = '3 Secret Lane',"
                     " latitude = -26.1, longitude = 28.0 where id = %s", (conv,))
    await db.execute("insert into public.whatsapp_inbound_messages (message_sid, tenant_id,"
                     " conversation_id, reply) values ('SMauditredact0001', %s, %s,"
                     " 'We noted 3 Secret Lane')", (tenant.id, conv))
    log = await entries(db, "whatsapp_conversations", conv)
    assert [e["operation"] for e in log] == ["INSERT", "UPDATE"]
    assert all(e["is_sensitive"] for e in log)
    assert "Secret" not in str(log) and "-26.1" not in str(log)
    assert log[1]["new_values"]["address"] == "changed"
    (inbound,) = await entries(db, "whatsapp_inbound_messages", "SMauditredact0001")
    assert inbound["new_values"]["reply"] == "[redacted]"
    assert "Secret" not in str(inbound)


async def test_a_person_key_is_made_only_when_there_is_something_to_seal(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    """The webhook's own log (replies always redacted) never makes or reads a key."""
    phone = "+27825550177"
    cur = await db.execute("insert into public.whatsapp_conversations (tenant_id, phone)"
                           " values (%s, %s) returning id", (tenant.id, phone))
    conv = (await cur.fetchone())["id"]  # type: ignore[index]
    keys = ("select count(*) as n from private.personal_keys"
            " where phone_digest = private.phone_digest(%s)")
    assert (await fetch_all(db, keys, (phone,)))[0]["n"] == 1  # the phone was sealed
    await db.execute("delete from private.personal_keys"
                     " where phone_digest = private.phone_digest(%s)", (phone,))
    await db.execute("insert into public.whatsapp_inbound_messages (message_sid, tenant_id,"
                     " conversation_id) values ('SMauditnokey00001', %s, %s)", (tenant.id, conv))
    await db.execute("update public.whatsapp_inbound_messages set reply = 'Thank you'"
                     " where message_sid = 'SMauditnokey00001'")
    await db.execute("update public.whatsapp_conversations set state = 'menu' where id = %s",
                     (conv,))
    assert (await fetch_all(db, keys, (phone,)))[0]["n"] == 0


async def test_the_reason_of_a_status_change_is_kept_with_its_entry(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    w = await build_world(db, tenant)
    await act_as(db, tenant.claims["manager"])
    await db.execute("select public.set_ticket_status(%s, 'in_progress', 'crew on site')",
                     (w["ticket_others"],))
    await db.execute("update public.tickets set priority = 'high' where id = %s",
                     (w["ticket_others"],))
    *_, status_change, later = await entries(db, "tickets", w["ticket_others"])
    assert status_change["new_values"]["status"] == "in_progress"
    assert status_change["reason"] == "crew on site"
    assert later["reason"] is None  # the reason belongs to that one change
