"""Foundation: extensions, private helpers, municipalities, profiles, token hook."""

from migrations.sqlfile import run_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
