"""WhatsApp: voice notes and videos, "not fixed", typed addresses, interactive messages."""

from migrations.sqlfile import run_sql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
