"""Reminders remember when they first fell due.

A reminder held back (due outside the recipient's working hours, or retried) is given a
new due time. Every reminder held over a night or a weekend is then due at the same
opening, and they went out in the order their rows were written. With the time each first
fell due kept beside the moving one, they go out in the order they fell due. Rows written
before this keep their current due time as the first.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reminders", sa.Column("first_due_at", UtcDateTime(), nullable=True))
    op.execute("UPDATE reminders SET first_due_at = due_at")


def downgrade() -> None:
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("first_due_at")
