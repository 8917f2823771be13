"""The unit of work: one session, one transaction, committed once with the update's id."""

from __future__ import annotations

from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import tables
from storage.reminders import SqlReminderRepository
from storage.repositories import (
    SqlCaseRepository,
    SqlCustomerRepository,
    SqlEventRepository,
    SqlIncidentRepository,
    SqlInviteRepository,
    SqlStaffRepository,
)


class SqlUnitOfWork:
    """Repositories sharing one transaction; rolled back unless committed."""

    def __init__(self, sessions: async_sessionmaker[Any], update_id: int | None = None) -> None:
        self._sessions = sessions
        self.update_id = update_id
        self.session: AsyncSession

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.staff = SqlStaffRepository(self.session)
        self.customers = SqlCustomerRepository(self.session)
        self.cases = SqlCaseRepository(self.session)
        self.events = SqlEventRepository(self.session)
        self.invites = SqlInviteRepository(self.session)
        self.reminders = SqlReminderRepository(self.session)
        self.incidents = SqlIncidentRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back anything uncommitted but keeps loaded objects readable,
        # so the adapter can still draw them after the unit ends.
        await self.session.close()

    async def already_processed(self) -> bool:
        """Tell whether this unit's update was handled before (a redelivery)."""
        if self.update_id is None:
            return False
        found = await self.session.execute(
            select(tables.processed_updates.c.update_id).where(
                tables.processed_updates.c.update_id == self.update_id
            )
        )
        return found.first() is not None

    async def commit(self) -> None:
        """Write everything, and the update's id, in one transaction."""
        if self.update_id is not None:
            await self.session.execute(
                tables.processed_updates.insert().values(
                    update_id=self.update_id, processed_at=datetime.now(UTC)
                )
            )
        await self.session.commit()

    async def rollback(self) -> None:
        """Drop everything done in this unit."""
        await self.session.rollback()
