"""Compensation totals per case, and processed updates keyed by bot.

`cases.compensation_total` is what was given on a case across reopens (the limit applies to
it, not to each offer); existing cases start with their last granted value.
`processed_updates` gains the bot's id in its key (a new token restarts update ids), the
time index its pruning uses, and `reshown`, set when a redelivery re-sent the card.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_COLUMNS = ["closed_at", "kind", "state", "opened_at", "reopen_count", "compensation_type"]


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column("compensation_total", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE cases SET compensation_total = compensation_value "
        "WHERE compensation_value IS NOT NULL AND state <> 'awaiting_approval'"
    )
    # The report sums totals now: its covering index carries them instead of the last value.
    op.drop_index("ix_cases_closed_report", table_name="cases")
    op.create_index("ix_cases_closed_report", "cases", [*REPORT_COLUMNS, "compensation_total"])
    with op.batch_alter_table("processed_updates", recreate="always") as batch:
        batch.add_column(sa.Column("bot_id", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("reshown", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.drop_constraint(op.f("pk_processed_updates"), type_="primary")
        batch.create_primary_key(op.f("pk_processed_updates"), ["bot_id", "update_id"])
        batch.create_index("ix_processed_updates_at", ["processed_at"])


def downgrade() -> None:
    with op.batch_alter_table("processed_updates", recreate="always") as batch:
        batch.drop_index("ix_processed_updates_at")
        batch.drop_constraint(op.f("pk_processed_updates"), type_="primary")
        batch.create_primary_key(op.f("pk_processed_updates"), ["update_id"])
        batch.drop_column("reshown")
        batch.drop_column("bot_id")
    op.drop_index("ix_cases_closed_report", table_name="cases")
    op.create_index("ix_cases_closed_report", "cases", [*REPORT_COLUMNS, "compensation_value"])
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("compensation_total")
