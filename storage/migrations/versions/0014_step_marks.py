"""Each case keeps which of the five steps its log records, and whether in order.

The report counted step compliance from the events: the first event of each of five steps,
for every complaint that ended in the period (440,000 index entries for a year of 85,000
complaints, 0.2 s of the report's 0.4). A case now keeps marks that the app sets as it
appends events (`flows.model.marked`), and the report reads them from the index that
covers every other figure of ended complaints. The partial index over the step events is
no longer read, and goes.

Existing cases get their marks from their logs here, by the rule as it stood when this
migration was written (its own copy, below).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 12:20:00.000000
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIVE_STEP_EVENTS = ("apologised", "fixed", "empathised", "compensated", "scheduled")
ALL_FIVE = (1 << len(FIVE_STEP_EVENTS)) - 1
OUT_OF_ORDER = 1 << len(FIVE_STEP_EVENTS)
REPORT_COLUMNS = [
    "closed_at",
    "kind",
    "state",
    "opened_at",
    "reopen_count",
    "compensation_type",
    "compensation_total",
]
BATCH = 5_000


def marks_of(firsts: dict[str, int]) -> int:
    """The marks of a log whose steps were first recorded at these event numbers."""
    marks = 0
    for kind in sorted(firsts, key=firsts.__getitem__):
        bit = 1 << FIVE_STEP_EVENTS.index(kind)
        if marks & ALL_FIVE != bit - 1:
            marks |= OUT_OF_ORDER
        marks |= bit
    return marks


def _backfill() -> None:
    firsts: defaultdict[int, dict[str, int]] = defaultdict(dict)
    rows = op.get_bind().execute(
        sa.text(
            "SELECT case_id, kind, min(seq) FROM case_events "
            "WHERE kind IN :kinds GROUP BY case_id, kind"
        ).bindparams(sa.bindparam("kinds", FIVE_STEP_EVENTS, expanding=True))
    )
    for case_id, kind, seq in rows:
        firsts[case_id][kind] = seq
    update = sa.text("UPDATE cases SET step_marks = :marks WHERE id = :id")
    marks = [{"id": case_id, "marks": marks_of(seqs)} for case_id, seqs in firsts.items()]
    for start in range(0, len(marks), BATCH):
        op.get_bind().execute(update, marks[start : start + BATCH])


def upgrade() -> None:
    op.add_column(
        "cases", sa.Column("step_marks", sa.Integer(), nullable=False, server_default="0")
    )
    _backfill()
    op.drop_index("ix_cases_closed_report", table_name="cases")
    op.create_index("ix_cases_closed_report", "cases", [*REPORT_COLUMNS, "step_marks"])
    op.drop_index("ix_case_events_steps", table_name="case_events")


def downgrade() -> None:
    five_steps = sa.text("kind IN (" + ", ".join(f"'{k}'" for k in FIVE_STEP_EVENTS) + ")")
    op.create_index(
        "ix_case_events_steps",
        "case_events",
        ["case_id", "seq", "kind"],
        sqlite_where=five_steps,
        postgresql_where=five_steps,
    )
    op.drop_index("ix_cases_closed_report", table_name="cases")
    op.create_index("ix_cases_closed_report", "cases", REPORT_COLUMNS)
    op.drop_column("cases", "step_marks")
