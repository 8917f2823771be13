"""A case keeps where its card is in its owner's chat (`cases.owner_card_chat_id`,
`owner_card_message_id`), besides where it was drawn last (`card_chat_id`, …).

A supervisor who carries a case on in their own chat draws its card there; the owner's card
stayed behind, its buttons alive, showing the step the case had left once the supervisor
acted (a step done, a request withdrawn, the case cancelled or decided). Known, it is drawn
again where the case stands. Cases noted before have none: their owner's card is the last
drawn, if it was drawn in the owner's chat.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("owner_card_chat_id", sa.BigInteger(), nullable=True))
    op.add_column("cases", sa.Column("owner_card_message_id", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE cases SET owner_card_chat_id = card_chat_id,"
        " owner_card_message_id = card_message_id"
        " WHERE card_chat_id = (SELECT telegram_id FROM staff WHERE staff.id = cases.owner_id)"
    )


def downgrade() -> None:
    op.drop_column("cases", "owner_card_message_id")
    op.drop_column("cases", "owner_card_chat_id")
