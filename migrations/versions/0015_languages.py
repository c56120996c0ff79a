"""Languages as data: a `languages` table instead of fixed lists, isiXhosa, and the words
people answer with, per language, in the message library."""

from migrations.sqlfile import run_sql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(__file__, "upgrade")


def downgrade() -> None:
    run_sql(__file__, "downgrade")
