"""Where each copy of a request for a supervisor's decision was sent.

A request goes to every supervisor who may decide, and its reminders carry the same verdict
buttons. Once the request no longer waits (decided, put off, withdrawn, its case ended),
each copy is redrawn in place without them; a row goes once its copy is redrawn.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("ended", sa.String(length=40), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_request_copies_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["staff.id"], name=op.f("fk_request_copies_recipient_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by"], ["staff.id"], name=op.f("fk_request_copies_ended_by_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_copies")),
    )
    op.create_index("ix_request_copies_case", "request_copies", ["case_id"])
    op.create_index("ix_request_copies_ended", "request_copies", ["ended", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_request_copies_ended", table_name="request_copies")
    op.drop_index("ix_request_copies_case", table_name="request_copies")
    op.drop_table("request_copies")
