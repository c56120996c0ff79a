"""Side doors: the caller, protected references, scoped helpers, privileges, audit chain."""

from migrations.sqlfile import run_sql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
