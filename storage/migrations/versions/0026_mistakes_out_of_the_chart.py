"""The report's index of cases by opening also covers how each ended (`resolution`).

"Opened · closed" and the weekly chart counted a case cancelled as a mistake (a duplicate,
the wrong customer) as work done, beside the complaints that ended, which leave it out
(migration 0024). Both now leave it out, still counted from one index range a week.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 14:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _index(columns: list[str]) -> None:
    op.drop_index("ix_cases_opened_at", table_name="cases")
    op.create_index("ix_cases_opened_at", "cases", columns)


def upgrade() -> None:
    _index(["opened_at", "resolution"])


def downgrade() -> None:
    _index(["opened_at"])
