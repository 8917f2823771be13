"""What each complaint gave, offer by offer: `cases.compensation_given`, [[type, value], ...].

The report's compensation by type sums it for complaints that were reopened (one never
reopened gave at most the one offer its columns hold): reading it back from the timeline
took a second or more of a year's report. Existing complaints get it replayed from their
events by `given_offers` below, a copy of the rules as they stood (a migration must not
change with the code that comes after it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 07:10:00.000000
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The events that give, withdraw or drop a complaint's compensation.
COMPENSATION_EVENTS = ("compensated", "approved", "declined", "back", "cancel")
AWAITING_APPROVAL, FOLLOW_UP = "awaiting_approval", "follow_up"  # the complaint's steps


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


def given_offers(events: Iterable[tuple[str, str, Any]]) -> list[list[Any]]:
    """Replay one complaint's `COMPENSATION_EVENTS` (kind, step, data), in order: the offers
    given, [type, value] each, as `cases.compensation_given` keeps them.

    An offer within the staff limit is given when recorded, one above it when approved.
    Stepping back from the follow-up withdraws the offer given last; one waiting for a
    supervisor is dropped when declined, stepped back from or cancelled.
    """
    given: list[list[Any]] = []
    waiting: list[Any] | None = None
    last_given = False  # the offer of this pass was given (so the follow-up can withdraw it)
    for kind, step, data in events:
        data = data if isinstance(data, dict) else {}
        if kind == "compensated" and data.get("type") is not None:
            offer = [str(data["type"]), int(data.get("value") or 0)]
            waiting = offer if data.get("to") == AWAITING_APPROVAL else None
            if waiting is None:
                given.append(offer)
            last_given = waiting is None
        elif kind == "approved" and waiting is not None:
            given.append(waiting)
            waiting, last_given = None, True
        elif step == AWAITING_APPROVAL and kind in ("declined", "back", "cancel"):
            waiting = None
        elif kind == "back" and step == FOLLOW_UP and last_given:
            given.pop()
            last_given = False
    return given
