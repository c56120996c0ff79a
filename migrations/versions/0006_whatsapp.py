"""WhatsApp: conversations, inbound message log, delivery status."""

from migrations.sqlfile import run_sql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
