"""What each person last filed on a case, as a keyed digest and a time (`cases.filed`).

The same text sent twice within a minute (a double tap, or typed again after its answer was
lost) is saved once. That memory was the process's own: after a restart the repeat was
filed under the next question. Kept on the case, whose row the update writes anyway.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("filed", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("cases", "filed")
