"""What each complaint gave, offer by offer: `cases.compensation_given`, [[type, value], ...].

The report's compensation by type sums it for complaints that were reopened (one never
reopened gave at most the one offer its columns hold): reading it back from the timeline
took a second or more of a year's report. Existing complaints get it replayed from their
events, as the report did (`flows.reports.given_offers`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 07:10:00.000000
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from flows.reports import COMPENSATION_EVENTS, given_offers

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column("compensation_given", sa.JSON(), nullable=False, server_default="[]")
        )
    connection = op.get_bind()
    events: dict[int, list[tuple[str, str, Any]]] = defaultdict(list)
    rows = connection.execute(
        sa.text(
            "SELECT e.case_id, e.kind, e.step, e.data FROM case_events e "
            "JOIN cases c ON c.id = e.case_id "
            "WHERE c.kind = 'complaint' AND e.kind IN :kinds ORDER BY e.case_id, e.seq"
        ).bindparams(sa.bindparam("kinds", expanding=True)),
        {"kinds": list(COMPENSATION_EVENTS)},
    )
    for case_id, kind, step, data in rows:
        events[case_id].append((kind, step, json.loads(data) if isinstance(data, str) else data))
    update = sa.text("UPDATE cases SET compensation_given = :given WHERE id = :id")
    for case_id, timeline in events.items():
        given = given_offers(timeline)
        if given:
            connection.execute(update, {"given": json.dumps(given), "id": case_id})


def downgrade() -> None:
    op.drop_column("cases", "compensation_given")  # in place: a copy would trip foreign keys
