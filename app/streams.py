"""Reading a body that may be larger than we accept, without holding more than the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.errors import TooLarge


async def read_capped(chunks: AsyncIterator[bytes], *, limit: int,
                      declared: str | None = None, what: str = "request body") -> bytes:
    """All of `chunks`, or TooLarge as soon as the declared or the read size passes `limit`."""
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge(f"{what} is too large")
    parts, size = [], 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{what} is too large")
        parts.append(chunk)
    return b"".join(parts)
