"""The question a person's next typed text answers: `staff.expecting_question`.

A case's step and field (`fix:action`) as drawn on the card the person was last shown. A
text that arrives after someone else moved the case on is not filed under the new question.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("expecting_question", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("staff", "expecting_question")  # in place: a copy would trip foreign keys
