"""Reuses the storage tests' ticket fixture."""

from tests.storage.conftest import tickets

__all__ = ["tickets"]
