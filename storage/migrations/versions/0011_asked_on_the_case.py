"""The question last drawn for each person is kept on the case (`cases.asked`), not on the
person (`staff.expecting_question`, 0009).

The case's row is written by every update that changes it; the person's was written only
when their focus moved, so keeping the question there cost every update a write of its own
(about 0.3 ms, one statement more).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 07:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Columns are added and dropped in place (ALTER TABLE; SQLite 3.35+): a batch copy of
# `staff` or `cases` would trip the foreign keys of the rows that point at them.


def upgrade() -> None:
    op.add_column("cases", sa.Column("asked", sa.JSON(), nullable=False, server_default="{}"))
    op.drop_column("staff", "expecting_question")


def downgrade() -> None:
    op.add_column("staff", sa.Column("expecting_question", sa.String(length=64), nullable=True))
    op.drop_column("cases", "asked")
