"""A customer flagged at risk from a check-in keeps which check-in it was
(`customers.at_risk_case_id`), and `at_risk_reason` keeps only the words staff typed there.

The reason used to be written out in the words of whoever pressed the flag, so a supervisor
who reads another language read it in theirs; the card now words it for each reader.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 09:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("at_risk_case_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("customers", "at_risk_case_id")
