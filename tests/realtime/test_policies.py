"""realtime.messages policies (migration 0007), proven as each role the way
Supabase Realtime asks: a probe row, the caller's claims, realtime.topic set."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from psycopg import AsyncConnection, errors

from tests.support.db import ANON_CLAIMS, act_as
from tests.support.tenants import Tenant

# Who reads every ordinary ticket of the municipality (the tickets read policy).
MUNICIPAL_BOARD = ("manager", "admin")


async def may_receive(conn: AsyncConnection[Any], claims: dict[str, Any] | None,
                      topic: str) -> bool:
    await conn.execute("savepoint probe")
    try:
        cur = await conn.execute(
            "insert into realtime.messages (topic, extension, private, event, payload) "
            "values (%s, 'broadcast', true, 'probe', '{}') returning id", (topic,))
        probe = (await cur.fetchone())["id"]
        await act_as(conn, claims)
        await conn.execute("select set_config('realtime.topic', %s, true)", (topic,))
        cur = await conn.execute(
            "select count(*) as n from realtime.messages where id = %s", (probe,))
        return (await cur.fetchone())["n"] == 1
    finally:
        await conn.execute("rollback to savepoint probe")


@pytest.mark.parametrize("role", MUNICIPAL_BOARD)
async def test_managers_and_admins_receive_their_municipality_channel(
    db, tenant: Tenant, role: str
) -> None:
    assert await may_receive(db, tenant.claims[role], f"municipality:{tenant.id}")


@pytest.mark.parametrize("role", ["citizen", "field_worker", "saps_liaison"])
async def test_who_does_not_read_every_ordinary_ticket_does_not_receive_the_municipality_channel(
    db, tenant: Tenant, role: str
) -> None:
    """Field workers read their teams' tickets only, liaisons protected ones only."""
    assert not await may_receive(db, tenant.claims[role], f"municipality:{tenant.id}")


async def _team(db: AsyncConnection[Any], tenant: Tenant, *, member: str | None) -> str:
    cur = await db.execute(
        "insert into public.teams (tenant_id, name, categories) values (%s, %s, '{water}')"
        " returning id", (tenant.id, f"Topic crew {uuid.uuid4().hex[:6]}"))
    team = (await cur.fetchone())["id"]
    if member:
        await db.execute("insert into public.team_members (team_id, user_id, tenant_id)"
                         " values (%s, %s, %s)", (team, tenant.users[member], tenant.id))
    return f"team:{team}"


async def test_field_workers_receive_only_their_own_teams_channels(
    db, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await _team(db, tenant, member="field_worker")
    theirs = await _team(db, tenant, member=None)
    assert await may_receive(db, tenant.claims["field_worker"], mine)
    assert not await may_receive(db, tenant.claims["field_worker"], theirs)
    for role in ("citizen", "saps_liaison"):
        assert not await may_receive(db, tenant.claims[role], mine), role
    assert not await may_receive(db, other_tenant.claims["field_worker"], mine)
    assert not await may_receive(db, tenant.claims["field_worker"], "team:not-a-uuid")


@pytest.mark.parametrize("role,allowed", [
    ("saps_liaison", True), ("admin", True),
    ("manager", False), ("field_worker", False), ("citizen", False),
])
async def test_only_saps_liaisons_and_admins_receive_the_gbv_channel(
    db, tenant: Tenant, role: str, allowed: bool
) -> None:
    assert await may_receive(db, tenant.claims[role], f"gbv:{tenant.id}") is allowed


@pytest.mark.parametrize("kind", ["municipality", "gbv"])
async def test_another_municipalitys_staff_receive_nothing(
    db, tenant: Tenant, other_tenant: Tenant, kind: str
) -> None:
    for role in ("admin", "saps_liaison", "manager"):
        assert not await may_receive(db, other_tenant.claims[role], f"{kind}:{tenant.id}")


async def test_anon_receives_nothing(db, tenant: Tenant) -> None:
    assert not await may_receive(db, ANON_CLAIMS, f"municipality:{tenant.id}")


async def test_a_topic_other_than_the_channel_is_not_readable(db, tenant: Tenant) -> None:
    """With realtime.topic set to their own channel, a manager still cannot read gbv rows."""
    cur = await db.execute(
        "insert into realtime.messages (topic, extension, private, event, payload) "
        "values (%s, 'broadcast', true, 'probe', '{}') returning id", (f"gbv:{tenant.id}",))
    probe = (await cur.fetchone())["id"]
    await act_as(db, tenant.claims["manager"])
    await db.execute("select set_config('realtime.topic', %s, true)",
                     (f"municipality:{tenant.id}",))
    cur = await db.execute("select count(*) as n from realtime.messages where id = %s", (probe,))
    assert (await cur.fetchone())["n"] == 0


@pytest.mark.parametrize("role", ["admin", "saps_liaison", "manager"])
async def test_nobody_but_the_service_role_sends(db, tenant: Tenant, role: str) -> None:
    await act_as(db, tenant.claims[role])
    topic = f"municipality:{tenant.id}"
    await db.execute("select set_config('realtime.topic', %s, true)", (topic,))
    with pytest.raises(errors.InsufficientPrivilege):
        await db.execute(
            "insert into realtime.messages (topic, extension, private, event, payload) "
            "values (%s, 'broadcast', true, 'forged', '{}')", (topic,))
