"""Creating, preparing and migrating databases (CLI, scripts and tests).

`prepare(url)` = the local Supabase platform (only in local mode) followed by
`alembic upgrade head`: the one way any database of ours is built.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql

from app.config import ROOT

PLATFORM_DIR = ROOT / "supabase" / "platform"


def with_database(url: str, name: str) -> str:
    """The same server URL, pointing at database `name`."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def create_database(url: str, name: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


LOCAL_SUPERUSER = "supabase_admin"
# The platform's login roles that our local servers connect as (same password
# as `postgres` locally): the Auth server as supabase_auth_admin.
LOCAL_SERVICE_LOGINS = ("supabase_auth_admin",)


def platform_files() -> list[Path]:
    return sorted(PLATFORM_DIR.glob("*.sql"))


def with_user(url: str, user: str) -> str:
    """The same server, database and password, logging in as `user`."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    password = parts.password or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    return urlunsplit(parts._replace(netloc=auth + host))


def apply_platform(url: str) -> None:
    """Local-only: recreate the Supabase platform pieces. Never run against Supabase.

    Runs as the cluster's superuser (`supabase_admin`, as on Supabase); the
    migrations that follow run as the ordinary `postgres`.
    """
    password = urlsplit(url).password or ""
    with psycopg.connect(with_user(url, LOCAL_SUPERUSER), autocommit=True) as conn:
        # Roles are cluster-wide: serialise concurrent preparations of databases.
        conn.execute("select pg_advisory_lock(54322)")
        try:
            for path in platform_files():
                conn.execute(path.read_text(encoding="utf-8").encode())
            for role in LOCAL_SERVICE_LOGINS:
                conn.execute(
                    sql.SQL("alter role {} with password {}").format(
                        sql.Identifier(role), sql.Literal(password)))
        finally:
            conn.execute("select pg_advisory_unlock(54322)")


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.cmd_opts = argparse.Namespace(x=[f"url={url}"])
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def prepare(url: str, *, local_platform: bool) -> None:
    if local_platform:
        apply_platform(url)
    migrate(url)
