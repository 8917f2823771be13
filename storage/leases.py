"""Rows several processes take work from: each takes the ones nobody else holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession


async def unheld_ids(session: AsyncSession, due: Select[Any]) -> list[int]:
    """The ids `due` selects, locked for this transaction on PostgreSQL, where rows another
    transaction holds are skipped rather than waited for (`FOR UPDATE SKIP LOCKED`); SQLite
    needs no lock: the transaction holds the database's write lock (`BEGIN IMMEDIATE`)."""
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return list((await session.execute(due)).scalars())
