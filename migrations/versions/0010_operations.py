"""Operations: sla_status_at STABLE (inlines into list queries); audit_log.request_id."""

from migrations.sqlfile import run_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
