"""The webhook's fast path: a library generation instead of a fingerprint of every
approved id, and duplicate lookups with a kept plan."""

from migrations.sqlfile import run_sql

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
