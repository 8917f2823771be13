"""A customer's start keeps how much of it was said (`customers.since_precision`).

"Customer since 2019" used to be stored as 2019-01-01 and shown as that day, which told
staff something nobody said. `since` still holds the first day of the year or month given
(tenure is counted from it); `since_precision` says whether a year, a month or a day was
given. Customers already on record keep being shown to the day, as they were.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("since_precision", sa.String(length=8), nullable=True))
    op.execute("UPDATE customers SET since_precision = 'day' WHERE since IS NOT NULL")


def downgrade() -> None:
    op.drop_column("customers", "since_precision")
