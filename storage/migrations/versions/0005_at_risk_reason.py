"""Customers flagged at risk by hand: when, why and by whom; a staff member's pending reason.

`customers.at_risk_*` keep the flag's story for the card and the exports (`at_risk_by` is
empty when the bot flagged the customer after repeated complaints). `staff.expecting_customer_id`
is the customer whose reason the staff member is typing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("at_risk_since", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("at_risk_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("at_risk_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_customers_at_risk_by_staff"), "staff", ["at_risk_by"], ["id"]
        )
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("expecting_customer_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("expecting_customer_id")
    with op.batch_alter_table("customers") as batch:
        batch.drop_constraint(op.f("fk_customers_at_risk_by_staff"), type_="foreignkey")
        batch.drop_column("at_risk_by")
        batch.drop_column("at_risk_reason")
        batch.drop_column("at_risk_since")
