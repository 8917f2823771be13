"""Every amount keeps the currency it was recorded in: a case's (`cases.currency`: what was
offered and given on it, the currency set when it was opened) and a customer's yearly value
(`customers.currency`). Before, money was drawn in the currency set now, so changing it in
the settings relabelled every old amount (200.000 VND read as 200.000 USD).

Cases and customers already on record get the currency set when this runs (the bot passes
it: `storage.migrate.alembic_config`), the one their amounts were recorded in unless it was
changed before this migration; without it, the default (VND).

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-30 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_CURRENCY = "VND"  # `flows.policy.Policy.currency` as it stood


def upgrade() -> None:
    currency = str(context.config.attributes.get("currency") or DEFAULT_CURRENCY)
    for table in ("cases", "customers"):
        op.add_column(table, sa.Column("currency", sa.String(8), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET currency = :c").bindparams(c=currency))


def downgrade() -> None:
    for table in ("cases", "customers"):
        op.drop_column(table, "currency")
