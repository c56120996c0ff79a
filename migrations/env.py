"""Alembic environment: SQL-first migrations, run as the database owner.

The version table lives in its own schema (`alembic`), outside what the API
roles can see, so `public` holds only tables with row-level security.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from app.config import get_settings

VERSION_SCHEMA = "alembic"


def database_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def run_migrations_online() -> None:
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        connection.execute(text(f"create schema if not exists {VERSION_SCHEMA}"))
        connection.execute(
            text(f"revoke all on schema {VERSION_SCHEMA} from public")
        )
        connection.commit()
        context.configure(
            connection=connection,
            version_table_schema=VERSION_SCHEMA,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported: migrations run against a database")
run_migrations_online()
