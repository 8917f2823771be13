"""A problem review that let its customer go keeps the goodwill its goodbye gave, as a
complaint keeps its compensation (`compensation_type`, `compensation_value`,
`compensation_total`, `compensation_given`): the customer's record and the report count it
with what complaints gave. Reviews already ended get it from their timeline: the goodwill
move (`move_goodwill`) logged last, as it stood when the conversation ended.

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 14:50:00.000000
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT e.case_id, e.data FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE c.kind = 'problem_review' AND c.resolution = 'terminated' "
            "AND e.kind = 'move_goodwill' ORDER BY e.case_id, e.seq"
        )
    )
    last: dict[int, Any] = {}
    for case_id, data in rows:
        last[case_id] = json.loads(data) if isinstance(data, str) else data
    update = sa.text(
        "UPDATE cases SET compensation_type = :kind, compensation_value = :value, "
        "compensation_total = :value, compensation_given = :given WHERE id = :id"
    )
    for case_id, data in last.items():
        data = data if isinstance(data, dict) else {}
        kind, value = data.get("goodwill"), int(data.get("goodwill_value") or 0)
        if kind and value:
            given = json.dumps([[str(kind), value]])
            connection.execute(
                update, {"kind": str(kind), "value": value, "given": given, "id": case_id}
            )


def downgrade() -> None:
    op.execute(
        "UPDATE cases SET compensation_type = NULL, compensation_value = NULL, "
        "compensation_total = 0, compensation_given = '[]' WHERE kind = 'problem_review'"
    )
