"""POPIA: message library, notice and consent, data-subject requests, erasure, retention."""

from migrations.sqlfile import run_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
