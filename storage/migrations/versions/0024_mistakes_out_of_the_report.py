"""The report's index of ended cases also covers whether each was a complaint the customer
made (`severity`, `resolution`).

The report counted a complaint cancelled as a mistake (a duplicate, the wrong customer)
among the complaints that ended, so a duplicate beside a complaint closed satisfied read as
"Satisfied at follow-up: 1 of 2". It now counts the complaints made, as the customer's
record and the at-risk rule do, still from the one index.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 09:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
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
]


def _index(columns: list[str]) -> None:
    op.drop_index("ix_cases_closed_report", table_name="cases")
    op.create_index("ix_cases_closed_report", "cases", columns)


def upgrade() -> None:
    _index([*REPORT_COLUMNS, "severity", "resolution"])


def downgrade() -> None:
    _index(REPORT_COLUMNS)
