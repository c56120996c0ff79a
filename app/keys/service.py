"""Re-encrypting every encrypted column under ENCRYPTION_KEY_CURRENT.

Values already under the current key are left alone, so an interrupted run
simply continues where it stopped when started again; each batch commits on
its own. When a run finishes, ENCRYPTION_KEY_PREVIOUS can be removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.crypto import DecryptionError, FieldCipher
from app.keys import repository as repo
from app.vocab import Conn


@dataclass
class RotationResult:
    columns: list[str]
    rotated: int = 0
    already_current: int = 0
    batches: int = 0
    unreadable: int = 0
    finished: bool = True


async def total_values(conn: Conn) -> int:
    total = 0
    for col in await repo.encrypted_columns(conn):
        total += await repo.count_values(conn, col["table"], col["column"])
    return total


async def rotate_keys(
    conn: Conn, *, cipher: FieldCipher, current_only: FieldCipher,
    batch_size: int = 500, progress: Callable[[int], None] = lambda n: None,
    max_batches: int | None = None,
) -> RotationResult:
    """Rotate every value; `conn` is in autocommit mode and each batch is a transaction."""
    columns = await repo.encrypted_columns(conn)
    result = RotationResult(columns=[f"{c['table']}.{c['column']}" for c in columns])
    for col in columns:
        table, column, pk = col["table"], col["column"], col["pk"]
        after: Any = None
        while True:
            if max_batches is not None and result.batches >= max_batches:
                result.finished = False
                return result
            async with conn.transaction():
                rows = await repo.batch_after(conn, table, column, pk, after, batch_size)
                for row in rows:
                    if current_only.can_decrypt(row["value"]):
                        result.already_current += 1
                        continue
                    try:
                        new = cipher.rotate(row["value"])
                    except DecryptionError:
                        result.unreadable += 1
                        continue
                    if await repo.replace_value(conn, table, column, pk, row["key"],
                                                row["value"], new):
                        result.rotated += 1
            result.batches += 1
            progress(len(rows))
            if len(rows) < batch_size:
                break
            after = rows[-1]["key"]
    return result
