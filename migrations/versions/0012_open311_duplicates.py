"""Open311 GeoReport v2 (keys, submissions, public updates) and duplicate reports
(detection, followers, merging)."""

from migrations.sqlfile import run_sql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
