"""The audit trail is hash-chained: the owner can still damage it, but not unseen.
`private.seal_audit_log()` chains every committed entry of a partition to its
predecessor; `private.verify_audit_chain()` (`salga audit verify`) finds the first
broken link: an entry altered, removed, or a partition detached."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.security.world import build_world
from tests.support.db import act_as, fetch_all
from tests.support.tenants import Tenant


async def _partition_of(db: AsyncConnection[Any], entry_id: int) -> str:
    rows = await fetch_all(db, "select tableoid::regclass::text as part from public.audit_log"
                               " where id = %s", (entry_id,))
    return str(rows[0]["part"])


async def _verify(db: AsyncConnection[Any], part: str) -> dict[str, Any]:
    rows = await fetch_all(db, "select * from private.verify_audit_chain()"
                               " where partition_name = %s", (part.split(".")[-1],))
    return dict(rows[0])


async def _sealed_world(db: AsyncConnection[Any], tenant: Tenant) -> tuple[str, list[Any]]:
    w = await build_world(db, tenant)
    await db.execute("select private.seal_audit_log()")
    rows = await fetch_all(db, "select id, chain_seq from public.audit_log"
                               " where table_name = 'tickets' and record_id = %s",
                           (str(w["ticket_own"]),))
    part = await _partition_of(db, rows[0]["id"])
    chain = await fetch_all(db, f"select id, chain_seq, prev_hash, entry_hash from {part}"
                                " order by chain_seq")
    return part, chain


async def test_sealing_chains_every_entry_to_its_predecessor(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    part, chain = await _sealed_world(db, tenant)
    assert all(e["entry_hash"] for e in chain)
    assert [e["chain_seq"] for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0]["prev_hash"] is None
    assert all(b["prev_hash"] == a["entry_hash"] for a, b in pairwise(chain))
    result = await _verify(db, part)
    assert result["ok"] and result["problem"] is None and result["sealed"] == len(chain)
    assert result["head_hash"] == chain[-1]["entry_hash"]
    # Sealing again changes nothing; a sealed entry cannot be re-sealed.
    assert (await fetch_all(db, "select private.seal_audit_log() as n"))[0]["n"] == 0


async def test_an_altered_entry_is_the_first_broken_link(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    part, chain = await _sealed_world(db, tenant)
    victim = chain[len(chain) // 2]
    # What only the owner can do: switch the guard off and rewrite history.
    await db.execute(f"alter table {part} disable trigger user")
    await db.execute(f"update {part} set user_agent = 'forged' where id = %s", (victim["id"],))
    await db.execute(f"alter table {part} enable trigger user")
    result = await _verify(db, part)
    assert not result["ok"]
    assert (result["first_broken_seq"], result["first_broken_id"]) == (
        victim["chain_seq"], victim["id"])
    assert result["problem"] == "entry content does not match its hash"


async def test_a_removed_entry_is_found(db: AsyncConnection[Any], tenant: Tenant) -> None:
    part, chain = await _sealed_world(db, tenant)
    victim = chain[1]
    await db.execute("set local session_replication_role = replica")
    await db.execute(f"delete from {part} where id = %s", (victim["id"],))
    await db.execute("set local session_replication_role = origin")
    result = await _verify(db, part)
    assert not result["ok"] and result["first_broken_seq"] == chain[2]["chain_seq"]
    assert "missing" in result["problem"]


async def test_a_detached_partition_is_reported(db: AsyncConnection[Any], tenant: Tenant) -> None:
    part, _ = await _sealed_world(db, tenant)
    await db.execute(f"alter table public.audit_log detach partition {part}")
    result = await _verify(db, part)
    assert not result["ok"] and "no longer attached" in result["problem"]


async def test_api_roles_can_neither_seal_nor_verify(
    db: AsyncConnection[Any], tenant: Tenant
) -> None:
    for claims in (tenant.claims["admin"], {"role": "anon"}):
        for call in ("select private.seal_audit_log()",
                     "select * from private.verify_audit_chain()"):
            await db.execute("savepoint s")
            await act_as(db, claims)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                await db.execute(call)
            await db.execute("rollback to savepoint s")
