"""What `salga audit verify` reports: per partition, whether its chain holds, the
first broken link if not, and the head (record it elsewhere: a chain cut short at
its end is caught only by comparing heads)."""

from __future__ import annotations

from dataclasses import dataclass

from app.audit import repository
from app.vocab import Conn


@dataclass(frozen=True)
class Report:
    ok: bool
    lines: list[str]


async def seal(conn: Conn) -> int:
    """Chain every committed, unsealed entry (the pg_cron job does this each minute)."""
    return await repository.seal(conn)


async def verify(conn: Conn, *, expect_heads: dict[str, str]) -> Report:
    """Walk every partition's chain; `expect_heads` maps partition -> head hash recorded
    earlier, which must still be in the chain's past (or be its head)."""
    rows = await repository.verify(conn)
    lines: list[str] = []
    ok = True
    for row in rows:
        name = row["partition_name"]
        if not row["ok"]:
            ok = False
            where = (f" at position {row['first_broken_seq']} (entry id {row['first_broken_id']})"
                     if row["first_broken_seq"] is not None else "")
            lines.append(f"BROKEN {name}{where}: {row['problem']}")
            continue
        lines.append(f"ok {name}: {row['sealed']} sealed, {row['unsealed']} awaiting sealing,"
                     f" head {row['head_seq'] or 0} {row['head_hash'] or '-'}")
        expected = expect_heads.get(name)
        if expected and row["head_hash"] != expected and not await _in_chain(conn, name, expected):
            ok = False
            lines.append(f"BROKEN {name}: recorded head {expected} is no longer in the chain")
    return Report(ok=ok, lines=lines)


async def _in_chain(conn: Conn, partition: str, entry_hash: str) -> bool:
    rows = await repository.verify(conn)
    if partition not in {r["partition_name"] for r in rows}:
        return False
    cur = await conn.execute(
        "select exists (select 1 from public.audit_log where entry_hash = %s) as found",
        (entry_hash,))
    row = await cur.fetchone()
    return bool(row and row["found"])
