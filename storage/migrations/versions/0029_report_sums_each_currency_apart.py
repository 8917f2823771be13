"""The report's index of ended cases also covers the currency each case's amounts are in.

/report and the Mini App added amounts of different currencies together once the settings'
currency changed (100 USD and 200,000 VND read as 200,100). They now add them up currency
by currency, still from the one index.

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-30 17:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_COLUMNS = [
    "closed_at",
    "kind",
    "state",
    "opened_at",
    "reopen_count",
    "compensation_type",
    "compensation_total",
    "step_marks",
    "severity",
    "resolution",
]


def _index(columns: list[str]) -> None:
    op.drop_index("ix_cases_closed_report", table_name="cases")
    op.create_index("ix_cases_closed_report", "cases", columns)


def upgrade() -> None:
    _index([*REPORT_COLUMNS, "currency"])


def downgrade() -> None:
    _index(REPORT_COLUMNS)
