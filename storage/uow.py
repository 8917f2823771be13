"""The unit of work: one session, one transaction, committed once with the update's id."""

from __future__ import annotations

from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import delete, select, update
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

    def __init__(
        self, sessions: async_sessionmaker[Any], update_id: int | None = None, bot_id: int = 0
    ) -> None:
        self._sessions = sessions
        self.update_id = update_id
        self.bot_id = bot_id  # update ids are the bot's: a new token starts them again
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

    async def already_processed(self, update_id: int | None = None) -> bool:
        """Tell whether this unit's update (or another of this bot's) was handled before."""
        if (update_id or self.update_id) is None:
            return False
        found = await self.session.execute(
            select(tables.processed_updates.c.update_id).where(*self._this_update(update_id))
        )
        return found.first() is not None

    async def claim_reshow(self) -> bool:
        """Mark that a redelivery of this handled update re-sends its answer; True only once."""
        updates = tables.processed_updates
        done = await self.session.execute(
            update(updates)
            .where(*self._this_update(), updates.c.reshown.is_(False))
            .values(reshown=True)
        )
        return bool(getattr(done, "rowcount", 0))

    def _this_update(self, update_id: int | None = None) -> tuple[Any, ...]:
        updates = tables.processed_updates.c
        wanted = update_id or self.update_id
        return (updates.bot_id == self.bot_id, updates.update_id == wanted)

    async def forget_updates_before(self, moment: datetime) -> int:
        """Drop the ids of updates handled before `moment`; return how many went.

        Telegram redelivers an update for at most a day, and after a week without updates
        it may start its ids anew: a window of a few days catches every redelivery and
        never mistakes a new update for an old one.
        """
        updates = tables.processed_updates
        done = await self.session.execute(delete(updates).where(updates.c.processed_at < moment))
        return int(getattr(done, "rowcount", 0) or 0)

    async def commit(self, remember: bool = True) -> None:
        """Write everything, and the update's id (unless told not to), in one transaction."""
        if remember and self.update_id is not None:
            await self.session.execute(
                tables.processed_updates.insert().values(
                    bot_id=self.bot_id, update_id=self.update_id, processed_at=datetime.now(UTC)
                )
            )
        await self.session.commit()

    async def rollback(self) -> None:
        """Drop everything done in this unit."""
        await self.session.rollback()
