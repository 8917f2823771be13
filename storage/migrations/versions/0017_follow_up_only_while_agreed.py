"""A complaint's follow-up is due, and overdue, only while it is agreed.

Since stop 23, going back from an agreed follow-up withdraws it: the case is neither due
nor overdue, and lists and the report no longer show it as overdue. Cases stepped back
before that kept their due time and their overdue mark until they moved on; this clears
them on every complaint that is not waiting for its agreed follow-up, as the code now
keeps them. Their reminders were already dropped when they came due.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 14:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE cases SET follow_up_due_at = NULL, overdue_since = NULL "
        "WHERE kind = 'complaint' AND state != 'awaiting_follow_up' "
        "AND (follow_up_due_at IS NOT NULL OR overdue_since IS NOT NULL)"
    )


def downgrade() -> None:
    """Nothing to undo: the cleared times were stale."""
