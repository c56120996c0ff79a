"""Run a revision's SQL file inside Alembic's transaction.

`migrations/versions/0003_security.py` runs `migrations/sql/0003_security.sql`
on upgrade and `migrations/sql/0003_security.down.sql` on downgrade. The SQL
goes to psycopg untouched (no bind-parameter parsing), so it reads exactly as
it would in psql.
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

SQL_DIR = Path(__file__).resolve().parent / "sql"


def run_sql(revision_file: str, direction: str) -> None:
    stem = Path(revision_file).stem
    name = f"{stem}.sql" if direction == "upgrade" else f"{stem}.down.sql"
    sql = (SQL_DIR / name).read_text(encoding="utf-8")
    driver_conn = op.get_bind().connection.driver_connection
    with driver_conn.cursor() as cur:  # type: ignore[union-attr]
        cur.execute(sql)
