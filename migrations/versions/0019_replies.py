"""Replies to the citizen: an approved reply text, queued in the reporter's language."""

from migrations.sqlfile import run_sql

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
