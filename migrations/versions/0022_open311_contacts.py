"""Open311 contacts sealed in the audit, cleared on de-identification and erasure."""

from migrations.sqlfile import run_sql

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
