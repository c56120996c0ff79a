"""Staff set-up: invitations decided by the database, the municipality's WhatsApp number."""

from migrations.sqlfile import run_sql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
