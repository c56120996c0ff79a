"""People through Auth: profiles by trigger on auth.users; upload checks answer 4xx."""

from migrations.sqlfile import run_sql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
