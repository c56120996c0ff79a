"""`salga rotate-keys`: progress bar and summary around the rotation service."""

from __future__ import annotations

import typer
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app.config import get_settings
from app.crypto import FieldCipher
from app.keys.service import rotate_keys, total_values


async def rotate_command(*, batch_size: int, max_batches: int | None) -> None:
    settings = get_settings()
    cipher = FieldCipher.from_settings(settings)
    current_only = FieldCipher(settings.encryption_key_current)
    conn = await AsyncConnection.connect(settings.database_url, row_factory=dict_row,
                                         autocommit=True)
    async with conn:
        total = await total_values(conn)
        with typer.progressbar(length=total, label="re-encrypting", file=None) as bar:
            result = await rotate_keys(conn, cipher=cipher, current_only=current_only,
                                       batch_size=batch_size, progress=bar.update,
                                       max_batches=max_batches)
    typer.echo(f"columns: {', '.join(result.columns) or 'none'}")
    typer.echo(f"re-encrypted {result.rotated}, already current {result.already_current}, "
               f"in {result.batches} batch(es)")
    if result.unreadable:
        raise ValueError(f"{result.unreadable} value(s) could not be decrypted with the "
                         "configured keys; keep ENCRYPTION_KEY_PREVIOUS until they are fixed")
    if result.finished:
        typer.echo("done: every value is under the current key; the previous key may go")
    else:
        typer.echo("stopped early: run again to continue")
