"""One throwaway cluster for the fault tests of this folder (they restart it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app import dbadmin
from app.config import Settings
from tests.conftest import base_settings
from tests.faults.cluster import ThrowawayCluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[ThrowawayCluster]:
    made = ThrowawayCluster().create()
    try:
        dbadmin.prepare(made.url, local_platform=True)
        yield made
    finally:
        made.destroy()


@pytest.fixture(scope="session")
def fault_settings(cluster: ThrowawayCluster) -> Settings:
    return base_settings(database_url=cluster.url, db_pool_min=4, db_pool_max=8)
