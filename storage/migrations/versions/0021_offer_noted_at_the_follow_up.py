"""Complaints waiting at the follow-up (step 5) note how their compensation stands.

Since the compensation's words were made to fit what the case recorded, a complaint notes
on its draft (`_offer`) whether its compensation was given at once (within the staff
limit), given once a supervisor approved it, or promised already (the follow-up agreed
with it, then stepped back from). Complaints that reached step 5 before carry no note, and
their card read every offer as given at once: one a supervisor approved was not said as
the news the customer was waiting for, and one promised already was promised again.
This replays their timelines (`offer_standing` below, a copy of the rules as they stand:
a migration must not change with the code that comes after it) and notes it.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 20:15:00.000000
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OFFER = "_offer"  # the draft's key (`flows.procedures.complaint.OFFER`)
#: The events after which the compensation stands otherwise.
OFFER_EVENTS = ("compensated", "approved", "back")
AWAITING_APPROVAL, AWAITING_FOLLOW_UP = "awaiting_approval", "awaiting_follow_up"


def upgrade() -> None:
    connection = op.get_bind()
    drafts = {
        case_id: draft if isinstance(draft, dict) else json.loads(draft or "{}")
        for case_id, draft in connection.execute(
            sa.text(
                "SELECT id, draft FROM cases WHERE kind = 'complaint' AND state = 'follow_up' "
                "AND compensation_value > 0"
            )
        )
    }
    unnoted = [case_id for case_id, draft in drafts.items() if OFFER not in draft]
    if not unnoted:
        return
    events: dict[int, list[tuple[str, str, Any]]] = defaultdict(list)
    rows = connection.execute(
        sa.text(
            "SELECT case_id, kind, step, data FROM case_events "
            "WHERE case_id IN :cases AND kind IN :kinds ORDER BY case_id, seq"
        ).bindparams(sa.bindparam("cases", expanding=True), sa.bindparam("kinds", expanding=True)),
        {"cases": unnoted, "kinds": list(OFFER_EVENTS)},
    )
    for case_id, kind, step, data in rows:
        events[case_id].append((kind, step, json.loads(data) if isinstance(data, str) else data))
    cases = sa.table("cases", sa.column("id"), sa.column("draft", sa.JSON))
    for case_id in unnoted:
        draft = {**drafts[case_id], OFFER: offer_standing(events[case_id])}
        connection.execute(sa.update(cases).where(cases.c.id == case_id).values(draft=draft))


def downgrade() -> None:
    """Nothing to undo: the code before this read a missing note as "given"."""


def offer_standing(events: Iterable[tuple[str, str, Any]]) -> str:
    """Replay one complaint's `OFFER_EVENTS` (kind, step, data), in order: how the
    compensation it holds at the follow-up stands — "given" when recorded within the limit,
    "approved" when a supervisor approved it, "promised" once the follow-up agreed with it
    was stepped back from."""
    standing = "given"
    for kind, step, data in events:
        data = data if isinstance(data, dict) else {}
        if kind == "compensated" and data.get("type") is not None:
            standing = "given"  # if it waits for a supervisor, only an approval brings it here
        elif kind == "approved" and step == AWAITING_APPROVAL:
            standing = "approved"
        elif kind == "back" and step == AWAITING_FOLLOW_UP:
            standing = "promised"
    return standing
