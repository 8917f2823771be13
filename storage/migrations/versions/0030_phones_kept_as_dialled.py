"""Phones written for callers abroad are kept as a phone dials them, and keyed so.

A number typed as "+84 (0) 903 123 456", "+84 0903 123 456" or "0084 903 123 456" was kept
with a trunk or international prefix no phone dials (+840903123456, 0084903123456) and keyed
apart from the same number written 0903 123 456, so that customer was neither found nor
offered when met again. New entries are read right (`flows.parsing.parse_phone`); this reads
those already on record the same way and keys them again.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from flows.parsing import InvalidInput, parse_phone, phone_key

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5_000
#: How a number written for callers abroad began, as it was kept: the rows to read again.
_WRITTEN_FOR_ABROAD = ("+840", "840", "00")


def _dialled(phone: str) -> str:
    """The number as a phone dials it; one that no longer reads as a phone stays as kept."""
    try:
        return parse_phone(phone)
    except InvalidInput:
        return phone


def upgrade() -> None:
    connection = op.get_bind()
    customers = sa.table("customers", sa.column("id"), sa.column("phone"), sa.column("phone_key"))
    kept = connection.execute(
        sa.select(customers.c.id, customers.c.phone, customers.c.phone_key).where(
            sa.or_(*(customers.c.phone.startswith(begun) for begun in _WRITTEN_FOR_ABROAD))
        )
    ).all()
    changed = []
    for id_, phone, key in kept:
        dialled = _dialled(phone)
        if (dialled, phone_key(dialled)) != (phone, key):
            changed.append({"the_id": id_, "phone": dialled, "key": phone_key(dialled)})
    fixed = (
        sa.update(customers)
        .where(customers.c.id == sa.bindparam("the_id"))
        .values(phone=sa.bindparam("phone"), phone_key=sa.bindparam("key"))
    )
    for start in range(0, len(changed), _BATCH):
        connection.execute(fixed, changed[start : start + _BATCH])


def downgrade() -> None:
    """Nothing to undo: the numbers kept are the same numbers, written as dialled."""
