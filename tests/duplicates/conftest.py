"""A municipality of its own for duplicate tests (others' reports stay out of
the way), and fresh spots far apart so tests never see each other's reports."""

from __future__ import annotations

import itertools

import pytest

from app.config import Settings
from tests.tickets.conftest import City, build_city

__all__ = ["metres_north", "spot"]

# One spot per call, ~1 km apart, inside the north service area's longitudes.
_SPOTS = itertools.count()


def spot() -> tuple[float, float]:
    n = next(_SPOTS)
    return (-33.94 + (n % 9) * 0.01, 18.41 + (n // 9) * 0.01)


def metres_north(where: tuple[float, float], metres: float) -> tuple[float, float]:
    return (where[0] + metres / 111_320, where[1])


@pytest.fixture(scope="module")
async def town(database_url: str, settings: Settings) -> City:
    return await build_city(database_url, settings.supabase_jwt_secret)
