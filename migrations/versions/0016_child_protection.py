"""The duty to protect children: the child question, 15-minute acknowledgement with
escalation, the Department of Social Development referral, Childline in the emergency text."""

from migrations.sqlfile import run_sql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
