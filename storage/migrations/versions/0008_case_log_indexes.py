"""Case log (the Mini App): indexes for its orders and its rarer filters.

Declared in `storage/tables.py` (CASE_LOG_INDEXES): cases by last change; by state or kind,
newest first; and, partial, the overdue ones by opening. Measured on 100,000 cases: a page
filtered on a rare state, kind or overdue, or sorted by last change, went from 140-250 ms
(reading every case) to about 5 ms.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

from storage.tables import CASE_LOG_INDEXES

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for index in CASE_LOG_INDEXES:
        index.create(op.get_bind())


def downgrade() -> None:
    for index in CASE_LOG_INDEXES:
        op.drop_index(str(index.name), table_name=index.table.name)  # type: ignore[union-attr]
