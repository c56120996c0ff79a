"""Ticket lifecycle: transitions, SLA, routing, escalation, notification outbox, ticket events."""

from migrations.sqlfile import run_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
