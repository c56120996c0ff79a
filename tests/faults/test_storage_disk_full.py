"""A full disk under the storage directory: a clear 507, no half-written objects,
and the store works again once there is room."""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from app.main import create_app
from tests.conftest import base_settings
from tests.support.server import LiveServer
from tests.support.tenants import Tenant

SIZE_KB = 512


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 512 KiB tmpfs: the storage directory's disk, filled on purpose."""
    with tempfile.TemporaryDirectory(prefix="salga-small-disk-") as mount_point:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_KB}k", "tmpfs", mount_point],
                       check=True)
        try:
            yield Path(mount_point)
        finally:
            subprocess.run(["umount", "-l", mount_point], check=True)


@pytest.fixture
def server(small_disk: Path, database_url: str) -> Iterator[LiveServer]:
    settings = base_settings(database_url=database_url, local_storage_dir=small_disk)
    live = LiveServer(create_app(settings)).start()
    yield live
    live.stop()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def test_a_full_disk_is_507_and_leaves_no_part_file_nor_row(
    server: LiveServer, small_disk: Path, tenant: Tenant, db: AsyncConnection[Any]
) -> None:
    folder = f"{tenant.id}/{tenant.users['citizen']}"
    headers = {**tenant.auth("citizen"), "content-type": "image/png"}
    png = b"\x89PNG\r\n\x1a\n"
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        first = f"{folder}/{uuid.uuid4()}.png"
        ok = await client.post(f"/storage/v1/object/evidence/{first}",
                               content=png + b"\x01" * 200_000, headers=headers)
        assert ok.status_code == 200, ok.text

        too_big_for_disk = f"{folder}/{uuid.uuid4()}.png"
        full = await client.post(f"/storage/v1/object/evidence/{too_big_for_disk}",
                                 content=png + b"\x02" * 400_000, headers=headers)
        assert full.status_code == 507, full.text
        assert full.json()["error"] == "InsufficientStorage"
        assert "space" in full.json()["message"]

        scraped = (await client.get("/metrics")).text
        assert 'salga_storage_errors_total{code="InsufficientStorage"}' in scraped
        assert not [p for p in files_under(small_disk) if p.suffix == ".part"]
        assert len(files_under(small_disk)) == 1  # only the first object's bytes
        cur = await db.execute(
            "select name from storage.objects where bucket_id = 'evidence' and name = any(%s)",
            ([first, too_big_for_disk],))
        assert [r["name"] for r in await cur.fetchall()] == [first]

        # what was stored before is whole, and once there is room uploads work again
        back = await client.get(f"/storage/v1/object/evidence/{first}", headers=headers)
        assert back.content == png + b"\x01" * 200_000
        removed = await client.request("DELETE", "/storage/v1/object/evidence",
                                       json={"prefixes": [first]}, headers=headers)
        assert removed.status_code == 200, removed.text
        again = await client.post(f"/storage/v1/object/evidence/{too_big_for_disk}",
                                  content=png + b"\x02" * 400_000, headers=headers)
        assert again.status_code == 200, again.text
        # leave nothing whose bytes vanish with this disk (the scan worker would wait on it)
        gone = await client.request("DELETE", "/storage/v1/object/evidence",
                                    json={"prefixes": [too_big_for_disk]}, headers=headers)
        assert gone.status_code == 200, gone.text
