"""The ticket list at a million tickets: indexes and a search helper RLS can use."""

from migrations.sqlfile import run_sql

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
