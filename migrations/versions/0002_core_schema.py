"""Core schema: teams, tickets, assignments, SLA policies, media, consent (tables, grants, RLS)."""

from migrations.sqlfile import run_sql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
