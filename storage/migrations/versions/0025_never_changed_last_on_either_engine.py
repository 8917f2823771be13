"""The case log's order by last change puts a case never changed (no `updated_at`) as the
oldest change on PostgreSQL too: last of "changed most recently", as on SQLite.

The query now says NULLS LAST (descending) or NULLS FIRST (ascending); PostgreSQL's index
by last change is rebuilt NULLS FIRST so that it still reads either order without a sort.
SQLite keeps NULLs lowest in its indexes already: nothing changes there.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 14:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _index(ops: dict[str, str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_cases_updated_at", table_name="cases")
    op.create_index("ix_cases_updated_at", "cases", ["updated_at"], postgresql_ops=ops)


def upgrade() -> None:
    _index({"updated_at": "NULLS FIRST"})


def downgrade() -> None:
    _index({})
