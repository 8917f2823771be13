"""Customers of one name in the order they were recorded.

A search lists customers in name order (migration 0015), and a filter by customer
(`/cases Hương`) takes the first of them. Customers of one name were ordered by their
search key and phone in the index, and by nothing at all on PostgreSQL, so two readings
could disagree on which came first. The index now holds the id right after the name, so
ties are broken by the order of record and a search still stops at its last match.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 03:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_customers_name_search"


def upgrade() -> None:
    op.drop_index(INDEX, table_name="customers")
    op.create_index(INDEX, "customers", ["name", "id", "search_key", "phone"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="customers")
    op.create_index(INDEX, "customers", ["name", "search_key", "phone"])
