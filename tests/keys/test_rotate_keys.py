"""`salga rotate-keys`: everything re-encrypted under the current key, resumably."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app import dbadmin
from app.config import Settings
from app.crypto import FieldCipher
from tests.support.tenants import Tenant, create_tenant


@pytest.fixture
def own_database(database_url: str) -> Iterator[str]:
    """A database of its own: rotation touches every encrypted value in it."""
    name = f"salga_keys_{uuid.uuid4().hex[:8]}"
    dbadmin.create_database(database_url, name)
    url = dbadmin.with_database(database_url, name)
    try:
        dbadmin.prepare(url, local_platform=True)
        yield url
    finally:
        dbadmin.drop_database(database_url, name)


def rotate(database_url: str, current: str, previous: str, *args: str
           ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SUPABASE_URL": "",
           "ENCRYPTION_KEY_CURRENT": current, "ENCRYPTION_KEY_PREVIOUS": previous}
    return subprocess.run([sys.executable, "-m", "app.cli", "rotate-keys", *args],
                          capture_output=True, text=True, env=env, timeout=120)


async def test_rotation_is_resumable_and_the_old_key_can_go(
    own_database: str, settings: Settings
) -> None:
    database_url = own_database
    tenant: Tenant = await create_tenant(database_url, settings.supabase_jwt_secret,
                                         roles=("citizen",))
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    old_cipher = FieldCipher(old)
    marker = uuid.uuid4().hex[:8]
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        for n in range(7):
            await conn.execute(
                "insert into public.tickets (tenant_id, reporter_id, category,"
                " encrypted_description, is_sensitive) values (%s, %s, 'gbv', %s, true)",
                (tenant.id, tenant.users["citizen"], old_cipher.encrypt(f"{marker} story {n}")))
        await conn.execute(
            "insert into public.whatsapp_conversations (tenant_id, phone,"
            " encrypted_draft_description) values (%s, %s, %s)",
            (tenant.id, f"+2784{uuid.uuid4().int % 10**7:07d}",
             old_cipher.encrypt(f"{marker} draft")))
        await conn.commit()

    partial = rotate(database_url, new, old, "--batch-size", "2", "--max-batches", "1")
    assert partial.returncode == 0, partial.stderr
    assert "stopped early" in partial.stdout
    finished = rotate(database_url, new, old, "--batch-size", "2")
    assert finished.returncode == 0, finished.stderr
    assert "tickets.encrypted_description" in finished.stdout
    assert "whatsapp_conversations.encrypted_draft_description" in finished.stdout
    assert "the previous key may go" in finished.stdout

    only_new = FieldCipher(new)
    async with await AsyncConnection.connect(database_url, row_factory=dict_row) as conn:
        cur = await conn.execute(
            "select encrypted_description as v from public.tickets"
            " where encrypted_description is not null"
            " union all select encrypted_draft_description from public.whatsapp_conversations"
            " where encrypted_draft_description is not null")
        values: list[Any] = [r["v"] for r in await cur.fetchall()]
    plain = [only_new.decrypt(v) for v in values]  # every value opens without the old key
    assert sum(1 for p in plain if p.startswith(marker)) == 8
    again = rotate(database_url, new, "", "--batch-size", "2")
    assert again.returncode == 0 and "re-encrypted 0" in again.stdout


async def test_values_no_key_opens_are_reported_not_lost(own_database: str,
                                                         settings: Settings) -> None:
    tenant = await create_tenant(own_database, settings.supabase_jwt_secret, roles=("citizen",))
    stranger = FieldCipher(Fernet.generate_key().decode())
    async with await AsyncConnection.connect(own_database) as conn:
        await conn.execute(
            "insert into public.tickets (tenant_id, reporter_id, category,"
            " encrypted_description, is_sensitive) values (%s, %s, 'gbv', %s, true)",
            (tenant.id, tenant.users["citizen"], stranger.encrypt("unreadable")))
        await conn.commit()
    key = Fernet.generate_key().decode()
    result = rotate(own_database, key, "")
    assert result.returncode == 1
    assert result.stderr.strip() == ("error: 1 value(s) could not be decrypted with the "
                                     "configured keys; keep ENCRYPTION_KEY_PREVIOUS until "
                                     "they are fixed")
