"""A per-sender send rate (messages per second), shared by one worker's tasks."""

from __future__ import annotations

import asyncio
import time


class SenderRateLimit:
    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_slot: dict[str, float] = {}
        self.lock = asyncio.Lock()

    async def wait(self, sender: str) -> None:
        """Return when `sender` may send its next message."""
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot.get(sender, now))
            self.next_slot[sender] = slot + self.interval
        delay = slot - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
