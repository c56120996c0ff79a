"""Reuses the POPIA fixtures: a municipality of its own, whose texts may change."""

import pytest

from tests.popia.conftest import town, town_wa

__all__ = ["town", "town_wa"]


@pytest.fixture(autouse=True)
def _texts(message_library: None) -> None:
    """Replies are compared with the library's approved texts."""
