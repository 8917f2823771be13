"""How staff address a customer: an optional title and an editable given name.

`customers.title` is anh, chi or quy_khach (empty when not known); `customers.given_name`
overrides the default, the last word of the name (for a business: its contact person).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("title", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("given_name", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("given_name")
        batch.drop_column("title")
