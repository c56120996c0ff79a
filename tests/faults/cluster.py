"""A throwaway PostgreSQL cluster for tests that stop and restart the server,
so the cluster every other test uses is never disturbed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.support.server import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "postgres"


def _as_postgres(*args: str) -> list[str]:
    """Postgres refuses to run as root: run its tools as the `postgres` OS user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


class ThrowawayCluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="salga-fault-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(_as_postgres(*args), check=True, capture_output=True, timeout=120)

    def create(self) -> ThrowawayCluster:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres")
        # As the local platform is laid out: the superuser is supabase_admin, and
        # `postgres` an ordinary role with Supabase's powers (scripts/lib.sh).
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "supabase_admin",
                  f"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=peer",
                  "-E", "UTF8", "--locale=C.UTF-8")
        pwfile.unlink()
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                       "unix_socket_directories = ''\nmax_connections = 100\n"
                       "shared_preload_libraries = 'pg_cron'\ncron.database_name = 'postgres'\n"
                       "wal_level = logical\ntimezone = 'UTC'\nfsync = off\n")
        self.start()
        admin = self.url.replace("postgres:", "supabase_admin:", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("create role postgres login createrole createdb replication bypassrls"
                         f" password '{PASSWORD}'")
        return self

    def start(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "log"), "-w", "-t", "60", "start")

    def restart(self) -> None:
        """A fast restart: every connection is cut, committed work survives."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60",
                  "restart", "-l", str(self.root / "log"))

    def destroy(self) -> None:
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                      "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
