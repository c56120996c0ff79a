"""Child cases: flagged by staff (audited, never lowered), acknowledged within 15 minutes
or escalated once to a backup liaison and the admins, and referred to the Department of
Social Development on a sealed Form 22 record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import Settings
from app.identity import service as identity
from tests.realtime.test_policies import may_receive
from tests.support.db import act_as, fetch_all
from tests.support.tenants import Tenant
from tests.tickets.conftest import City, build_city, file

OUTSIDERS = ("manager", "field_worker", "citizen")


@dataclass
class Desk:
    """A town whose SAPS desk has its liaison, a spare (older) and a flagged backup."""

    city: City
    liaison: UUID
    spare: UUID
    backup: UUID

    @property
    def tenant(self) -> Tenant:
        return self.city.tenant

    def auth(self, role: str) -> dict[str, str]:
        return self.city.auth(role)

    def claims_of(self, user: UUID) -> dict[str, Any]:
        return {**self.tenant.claims["saps_liaison"], "sub": str(user)}


@pytest.fixture(scope="module")
async def desk(database_url: str, settings: Settings) -> Desk:
    city = await build_city(database_url, settings.supabase_jwt_secret)
    team = city.teams["SAPS Liaison Desk"]
    extra: dict[str, UUID] = {}
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn, \
            conn.transaction():
        for name, backup in (("spare", False), ("backup", True)):
            extra[name] = await identity.add_user(
                conn, email=f"{name}.{city.tenant.code.lower()}@test.salga.example",
                role="saps_liaison", municipality_code=city.tenant.code,
                phone=f"+2784{uuid.uuid4().int % 10**7:07d}", full_name=f"{name.title()} Liaison")
            await conn.execute("insert into public.team_members (team_id, user_id, tenant_id,"
                               " is_backup) values (%s, %s, %s, %s)",
                               (team, extra[name], city.tenant.id, backup))
    return Desk(city, city.tenant.users["saps_liaison"], extra["spare"], extra["backup"])


async def child_case(api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any]
                     ) -> dict[str, Any]:
    """A protected report assigned to the desk's liaison, flagged by them as a child case."""
    ticket = await file(api, desk.city, category="gbv", sensitive=True, where=None)
    await owner.execute("update public.tickets set assigned_to = %s where id = %s",
                        (desk.liaison, ticket["id"]))
    flagged = await api.patch(f"/api/v1/tickets/{ticket['id']}/casework",
                              json={"child_involved": True}, headers=desk.auth("saps_liaison"))
    assert flagged.status_code == 200, flagged.text
    return {**ticket, **flagged.json()}


async def escalations(owner: AsyncConnection[Any], ticket_id: Any) -> list[dict[str, Any]]:
    return await fetch_all(owner, "select * from public.child_case_escalations"
                                  " where ticket_id = %s", (ticket_id,))


async def escalate(owner: AsyncConnection[Any], at: str = "now()") -> None:
    await owner.execute(f"select private.escalate_unacknowledged_child_cases({at})")


async def test_staff_flag_a_child_case_audited_and_never_lowered(
    api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any]
) -> None:
    case = await child_case(api, desk, owner)
    assert case["child_involved"] and case["acknowledged_at"] is None
    flagged_at = case["child_flagged_at"]
    assert case["acknowledge_by"] > flagged_at
    rows = await fetch_all(owner, "select child_flagged_by, acknowledge_by - child_flagged_at"
                                  " as window from public.protected_casework"
                                  " where ticket_id = %s", (case["ticket_id"],))
    assert rows == [{"child_flagged_by": desk.liaison, "window": timedelta(minutes=15)}]
    audit = await fetch_all(owner, "select actor_id, is_sensitive from public.audit_log"
                                   " where table_name = 'protected_casework' and record_id = %s"
                                   " and new_values ->> 'child_involved' = 'true'",
                            (str(case["ticket_id"]),))
    assert audit == [{"actor_id": desk.liaison, "is_sensitive": True}]

    events = await fetch_all(owner, "select topic from realtime.messages where event ="
                                    " 'child_case' and payload ->> 'ticket_id' = %s",
                             (str(case["ticket_id"]),))
    assert [e["topic"] for e in events] == [f"gbv:{desk.tenant.id}"]
    url = f"/api/v1/tickets/{case['ticket_id']}/casework"
    for role in ("admin", "saps_liaison"):
        lowered = await api.patch(url, json={"child_involved": False}, headers=desk.auth(role))
        assert lowered.status_code == 409 and "child_involved" in lowered.text
    again = await api.patch(url, json={"child_involved": True}, headers=desk.auth("admin"))
    assert again.json()["child_flagged_at"] == flagged_at  # the clock does not restart
    referral = await api.get(f"/api/v1/tickets/{case['ticket_id']}/referral",
                             headers=desk.auth("saps_liaison"))
    assert referral.json()["status"] == "pending"


async def test_a_child_case_acknowledged_in_time_never_escalates(
    api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any]
) -> None:
    case = await child_case(api, desk, owner)
    url = f"/api/v1/tickets/{case['ticket_id']}/casework/acknowledge"
    first = await api.post(url, headers=desk.auth("saps_liaison"))
    assert first.status_code == 200 and first.json()["acknowledged_at"]
    again = await api.post(url, headers=desk.auth("admin"))
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    assert again.json()["acknowledged_by"] == str(desk.liaison)
    # Flagged 14 minutes before it was acknowledged: within its 15 minutes.
    await owner.execute(
        "update public.protected_casework set child_flagged_at = now() - interval '14 minutes',"
        " acknowledge_by = now() + interval '1 minute' where ticket_id = %s",
        (case["ticket_id"],))
    await escalate(owner)
    await escalate(owner, "now() + interval '1 day'")
    assert await escalations(owner, case["ticket_id"]) == []


async def test_a_missed_deadline_escalates_once_to_the_backup_and_the_admins(
    api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any]
) -> None:
    case = await child_case(api, desk, owner)
    ticket_id = case["ticket_id"]
    await owner.execute("update public.protected_casework set child_flagged_at = now()"
                        " - interval '16 minutes', acknowledge_by = now() - interval '1 minute'"
                        " where ticket_id = %s", (ticket_id,))
    await escalate(owner, "now() - interval '2 minutes'")  # before the deadline: nothing
    assert await escalations(owner, ticket_id) == []
    for _ in range(2):  # the job runs every minute: the second pass changes nothing
        await escalate(owner)
    admin = desk.tenant.users["admin"]
    (record,) = await escalations(owner, ticket_id)
    assert (record["assignee_id"], record["backup_id"], record["admin_ids"]) == (
        desk.liaison, desk.backup, [admin])
    assert record["notifications_queued"] == 2 and record["is_sensitive"]

    phones = {r["id"]: r["phone"] for r in await fetch_all(
        owner, "select id, phone from public.profiles where tenant_id = %s",
        (desk.tenant.id,))}
    outbox = await fetch_all(owner, "select recipient, ticket_id, variables from"
                                    " public.notification_outbox where template_key ="
                                    " 'child_case_escalated' and variables ->> 'tracking_number'"
                                    " = %s", (case["tracking_number"],))
    assert sorted(o["recipient"] for o in outbox) == sorted([phones[desk.backup], phones[admin]])
    assert {o["ticket_id"] for o in outbox} == {None}

    events = await fetch_all(owner, "select topic from realtime.messages where event ="
                                    " 'child_case_escalated' and payload ->> 'ticket_id' = %s",
                             (str(ticket_id),))
    assert sorted(e["topic"] for e in events) == sorted([f"staff:{desk.backup}",
                                                         f"staff:{admin}"])
    shown = await api.get(f"/api/v1/tickets/{ticket_id}/casework",
                          headers=desk.auth("saps_liaison"))
    assert shown.json()["child_escalated_at"]


async def test_child_case_alerts_go_to_staff_numbers_only(
    db: AsyncConnection[Any], desk: Desk
) -> None:
    """Whatever queues one, an alert for a number that is not a liaison's or an admin's of
    the municipality is dropped."""
    phones = {r["role"]: r["phone"] for r in await fetch_all(
        db, "select role, phone from public.profiles where id = any(%s)",
        (list(desk.tenant.users.values()),))}
    for phone in phones.values():
        await db.execute("insert into public.notification_outbox (tenant_id, recipient,"
                         " template_key, variables) values (%s, %s, 'child_case_escalated',"
                         " '{\"tracking_number\": \"FORGED\"}')", (desk.tenant.id, phone))
    kept = await fetch_all(db, "select p.role from public.notification_outbox o join"
                               " public.profiles p on p.phone = o.recipient"
                               " where o.template_key = 'child_case_escalated'"
                               " and o.variables ->> 'tracking_number' = 'FORGED'")
    assert sorted(k["role"] for k in kept) == ["admin", "saps_liaison"]


async def test_each_staff_channel_reaches_only_its_own_person(
    db: AsyncConnection[Any], desk: Desk, other_tenant: Tenant
) -> None:
    backup_topic = f"staff:{desk.backup}"
    assert await may_receive(db, desk.claims_of(desk.backup), backup_topic)
    for role in ("saps_liaison", "admin", *OUTSIDERS):
        assert not await may_receive(db, desk.tenant.claims[role], backup_topic), role
    assert not await may_receive(db, other_tenant.claims["saps_liaison"], backup_topic)
    for role in ("admin", "manager", "saps_liaison"):
        own = f"staff:{desk.tenant.users[role]}"
        assert await may_receive(db, desk.tenant.claims[role], own), role
    # A citizen is not staff: no channel of their own, even their own id.
    assert not await may_receive(db, desk.tenant.claims["citizen"],
                                 f"staff:{desk.tenant.users['citizen']}")


async def test_only_liaisons_and_admins_learn_that_a_child_case_exists(
    api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any], db: AsyncConnection[Any],
    other_tenant: Tenant
) -> None:
    case = await child_case(api, desk, owner)
    await owner.execute("update public.protected_casework set acknowledge_by = now()"
                        " - interval '1 minute' where ticket_id = %s", (case["ticket_id"],))
    await escalate(owner)
    base = f"/api/v1/tickets/{case['ticket_id']}"
    others = [desk.auth(r) for r in OUTSIDERS] + [other_tenant.auth("saps_liaison"),
                                                  other_tenant.auth("admin")]
    for headers in others:
        assert (await api.get(f"{base}/referral", headers=headers)).status_code == 404
        assert (await api.patch(f"{base}/referral", json={"child_age": 9},
                                headers=headers)).status_code == 404
        assert (await api.post(f"{base}/casework/acknowledge",
                               headers=headers)).status_code == 404
        assert (await api.get("/api/v1/referrals", headers=headers)).json() == []
    counts = ("select (select count(*) from public.dsd_referrals) as referrals,"
              " (select count(*) from public.child_case_escalations) as escalations,"
              " (select count(*) from public.protected_casework where child_involved) as cases")
    for role in OUTSIDERS:
        await act_as(db, desk.tenant.claims[role])
        assert (await fetch_all(db, counts)) == [{"referrals": 0, "escalations": 0, "cases": 0}]
        for call in ("private.escalate_unacknowledged_child_cases()",
                     f"private.backup_liaison('{desk.tenant.id}', null)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                async with db.transaction():
                    await db.execute(f"select {call}")
    await act_as(db, desk.tenant.claims["saps_liaison"])
    seen = (await fetch_all(db, counts))[0]
    assert seen["referrals"] >= 1 and seen["escalations"] >= 1 and seen["cases"] >= 1
    await act_as(db, None)


async def test_the_form_22_referral_is_completed_then_referred_once(
    api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any]
) -> None:
    case = await child_case(api, desk, owner)
    url = f"/api/v1/tickets/{case['ticket_id']}/referral"
    liaison = desk.auth("saps_liaison")
    for body, field in (({"child_age": 18}, "child_age"), ({"child_gender": "boy"}, "child_gender"),
                        ({"abuse_nature": ["bullying"]}, "abuse_nature"),
                        ({"case_number": "123"}, "case_number"), ({"tracking": "x"}, "tracking"),
                        ({"status": "referred"}, "abuse_nature")):
        bad = await api.patch(url, json=body, headers=liaison)
        assert bad.status_code == 422 and field in bad.text, (body, bad.text)
    details = {"reporter_type": "family_member", "child_name": "Lindiwe", "child_age": 9,
               "child_gender": "female", "abuse_nature": ["sexual_abuse", "neglect"],
               "incident_place": "At home, Site C", "incident_when": "Last night",
               "offender_relationship": "Mother's partner",
               "action_taken": "SAPS liaison opened a case", "case_number": "CAS 12/11/2026"}
    filled = await api.patch(url, json=details, headers=liaison)
    assert filled.status_code == 200, filled.text
    assert filled.json()["status"] == "pending" and filled.json()["referral_date"] is None
    referred = await api.patch(url, json={"status": "referred"}, headers=desk.auth("admin"))
    body = referred.json()
    assert body["status"] == "referred" and body["referral_date"] and body["referred_at"]
    assert body["referred_by"] == str(desk.tenant.users["admin"])
    assert body["abuse_nature"] == ["neglect", "sexual_abuse"]
    back = await api.patch(url, json={"status": "pending"}, headers=liaison)
    assert back.status_code == 409 and "status" in back.text
    listed = (await api.get("/api/v1/referrals?status=referred", headers=liaison)).json()
    assert case["ticket_id"] in [r["ticket_id"] for r in listed]


async def test_the_referral_is_sealed_in_the_audit_and_cleared_with_the_report(
    api: httpx.AsyncClient, desk: Desk, owner: AsyncConnection[Any]
) -> None:
    case = await child_case(api, desk, owner)
    url = f"/api/v1/tickets/{case['ticket_id']}/referral"
    await api.patch(url, json={"child_name": "Sipho", "incident_place": "Near the school"},
                    headers=desk.auth("saps_liaison"))
    entries = await fetch_all(
        owner, "select a.new_values, a.is_sensitive from public.audit_log a"
               " join public.dsd_referrals r on a.record_id = r.id::text"
               " where a.table_name = 'dsd_referrals' and r.ticket_id = %s"
               " and a.operation = 'UPDATE'", (case["ticket_id"],))
    (entry,) = entries
    assert entry["is_sensitive"]
    sealed = entry["new_values"]["child_name"]
    assert sealed.startswith("pii:") and "Sipho" not in str(entry["new_values"])
    # Sealed under the reporter's key: erasing them destroys it, and the value with it.
    keys = await fetch_all(owner, "select k.user_id from private.personal_keys k"
                                  " where k.id = split_part(%s, ':', 2)::bigint", (sealed,))
    assert keys == [{"user_id": desk.tenant.users["citizen"]}]
    await owner.execute("select private.deidentify_tickets(array[%s]::uuid[])",
                        (case["ticket_id"],))
    (row,) = await fetch_all(owner, "select child_name, incident_place, abuse_nature, status"
                                    " from public.dsd_referrals where ticket_id = %s",
                             (case["ticket_id"],))
    assert row == {"child_name": None, "incident_place": None, "abuse_nature": [],
                   "status": "pending"}
