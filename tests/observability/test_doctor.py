"""`salga doctor` says what is right and names what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.config import Settings
from app.observability.doctor import run_checks
from tests.conftest import base_settings


def by_name(settings: Settings) -> dict[str, tuple[bool, str]]:
    return {c.name: (c.ok, c.detail) for c in run_checks(settings)}


def test_a_migrated_database_passes(settings: Settings) -> None:
    found = by_name(settings)
    assert found["database"][0] and "PostgreSQL 15" in found["database"][1]
    assert found["migrations"] == (True, found["migrations"][1])
    assert "at head" in found["migrations"][1]
    assert found["storage directory"][0]
    assert found["configuration"][0]


def test_what_is_wrong_is_named(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    settings = base_settings(database_url="postgresql://postgres:x@127.0.0.1:1/none",
                             local_storage_dir=blocked / "storage", twilio_account_sid="nope")
    found = by_name(settings)
    assert not found["database"][0] and "DATABASE_URL" in found["database"][1]
    assert "migrations" not in found  # nothing to ask a database that does not answer
    assert not found["storage directory"][0] and "not writable" in found["storage directory"][1]
    assert not found["twilio"][0] and "TWILIO_ACCOUNT_SID" in found["twilio"][1]


def test_the_command_exits_non_zero_on_a_failure(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url.rsplit("/", 1)[0] + "/no_such_db"}
    done = subprocess.run([sys.executable, "-m", "app.cli", "doctor"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "FAIL  database" in done.stdout
