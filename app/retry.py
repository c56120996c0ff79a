"""The one backoff rule for every queue (outbox, media downloads)."""

from __future__ import annotations


def backoff(attempts: int, *, base: float, cap: float) -> float:
    """Seconds to wait after `attempts` tries: base, 2*base, 4*base, ...  up to `cap`."""
    return float(min(cap, base * 2 ** max(attempts - 1, 0)))
