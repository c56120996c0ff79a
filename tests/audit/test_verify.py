"""`salga audit seal` and `salga audit verify`, as an operator runs them, on a
database of their own (they tamper with it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from app import dbadmin
from tests.test_cli import salga


@pytest.fixture
def own_database(database_url: str) -> Iterator[str]:
    name = f"salga_audit_{uuid.uuid4().hex[:8]}"
    dbadmin.create_database(database_url, name)
    url = dbadmin.with_database(database_url, name)
    try:
        dbadmin.prepare(url, local_platform=True)
        yield url
    finally:
        dbadmin.drop_database(database_url, name)


def test_verify_reports_the_first_broken_link_and_a_lost_head(own_database: str) -> None:
    with psycopg.connect(own_database, autocommit=True) as conn:
        for code in ("AUDA", "AUDB", "AUDC"):  # three audited changes
            conn.execute("insert into public.municipalities (code, name, province)"
                         " values (%s, %s, 'GP')", (code, f"Audit {code}"))
    sealed = salga(own_database, "audit", "seal")
    assert sealed.returncode == 0 and sealed.stdout.startswith("sealed "), sealed.stderr
    fine = salga(own_database, "audit", "verify")
    assert fine.returncode == 0, fine.stdout + fine.stderr
    # (the three inserts, and whatever rows their triggers add, are all sealed)
    (line,) = [x for x in fine.stdout.splitlines() if " 0 awaiting" in x and "head 0 " not in x]
    partition, head = line.split()[1].rstrip(":"), line.split()[-1]
    last = int(line.split()[-2])
    assert last >= 3

    with psycopg.connect(own_database, autocommit=True) as conn:
        conn.execute("set session_replication_role = replica")
        conn.execute(f"delete from private.{partition} where chain_seq = {last}")
    cut = salga(own_database, "audit", "verify", "--head", f"{partition}={head}")
    assert cut.returncode == 1
    assert f"BROKEN {partition}: recorded head {head} is no longer in the chain" in cut.stdout

    with psycopg.connect(own_database, autocommit=True) as conn:
        conn.execute("set session_replication_role = replica")
        conn.execute(f"update private.{partition} set actor_role = 'forged'"
                     " where chain_seq = 2")
    broken = salga(own_database, "audit", "verify")
    assert broken.returncode == 1
    assert (f"BROKEN {partition} at position 2" in broken.stdout
            and "does not match its hash" in broken.stdout), broken.stdout
