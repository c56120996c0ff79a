"""The staff workspace: internal notes, protected casework, list indexes, statistics."""

from migrations.sqlfile import run_sql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
