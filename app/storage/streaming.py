"""Upload bodies streamed to disk: size enforced while reading, md5 and writes
off the event loop, and nothing half-written left behind.

The body goes to `<blob>.part` in batches of about 1 MiB (one thread hop per
batch, not per network chunk); the count is checked before each batch is
written, so a body past its limit is refused without reading the rest. A full
disk removes the part file and answers 507.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from app.storage import errors

BATCH = 1 << 20


@dataclass(frozen=True)
class Stored:
    size: int
    md5: str


def insufficient_storage() -> errors.StorageError:
    return errors.StorageError(507, "InsufficientStorage",
                               "There is not enough space to store the object",
                               code="InsufficientStorage")


def declared_too_large(headers: Any, limit: int) -> bool:
    """A Content-Length above the limit is refused before any byte is read."""
    try:
        return int(headers.get("content-length") or 0) > limit
    except ValueError:
        return False


async def write_stream(chunks: AsyncIterator[bytes], target: Path, *, limit: int) -> Stored:
    """Write the stream to `target` (via a part file); refuses past `limit` bytes."""
    part = target.with_suffix(".part")
    md5 = hashlib.md5(usedforsecurity=False)
    fh = await asyncio.to_thread(_open, part)
    size = 0
    try:
        pending: list[bytes] = []
        pending_size = 0
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise errors.too_large(limit)
            pending.append(chunk)
            pending_size += len(chunk)
            if pending_size >= BATCH:
                await asyncio.to_thread(_append, fh, md5, pending)
                pending, pending_size = [], 0
        await asyncio.to_thread(_finish, fh, md5, pending, part, target)
    except BaseException as exc:
        await asyncio.to_thread(_discard, fh, part)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise insufficient_storage() from exc
        raise
    return Stored(size=size, md5=md5.hexdigest())


async def file_chunks(fh: Any, *, size: int = BATCH) -> AsyncIterator[bytes]:
    """An uploaded (spooled) multipart file, read in batches off the event loop."""
    while chunk := await asyncio.to_thread(fh.read, size):
        yield chunk


def _open(part: Path) -> IO[bytes]:
    part.parent.mkdir(parents=True, exist_ok=True)
    return open(part, "wb")  # closed by _finish or _discard


def _append(fh: IO[bytes], md5: Any, chunks: list[bytes]) -> None:
    for chunk in chunks:
        md5.update(chunk)
        fh.write(chunk)


def _finish(fh: IO[bytes], md5: Any, chunks: list[bytes], part: Path, target: Path) -> None:
    _append(fh, md5, chunks)
    fh.flush()
    fh.close()
    os.replace(part, target)


def _discard(fh: IO[bytes], part: Path) -> None:
    # closing flushes; on a full disk that fails too, and the part goes anyway
    with contextlib.suppress(OSError):
        fh.close()
    part.unlink(missing_ok=True)
