"""The unit of work: one session, one transaction, committed once with the update's id."""

from __future__ import annotations

from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from flows.model import Staff
from flows.newest import Newest
from storage import tables
from storage.insert_or_skip import insert_or_skip
from storage.redaction import SqlRedactionRepository
from storage.reminder_rows import SqlReminderRepository
from storage.repositories import (
    SqlCaseRepository,
    SqlCustomerRepository,
    SqlEventRepository,
    SqlIncidentRepository,
    SqlInviteRepository,
    SqlStaffRepository,
)
from storage.request_copies import SqlRequestCopyRepository

#: case id -> (chat id, message id) of the message showing the case's current step.
CardPositions = dict[int, tuple[int, int]]
#: Card positions not yet written: where each card was drawn last, and (the second) where
#: it was drawn last in its owner's chat.
Noted = tuple[CardPositions, CardPositions]


class PendingCards:
    """Where cards were sent, kept until the next update's own transaction writes it down.

    A card's message id is known only once it is sent, after the update has committed;
    noting it in a transaction of its own cost a second commit after most updates. The
    process keeps it here instead, and the next update it handles writes every position
    noted meanwhile, in its own transaction, before its use case reads any case. The
    latest positions stay known here too (the freshest word, even while another update's
    transaction is writing them); a restart loses only the in-place editing of one card.
    """

    def __init__(self, deferred: bool = True, kept: int = 10_000) -> None:
        #: False where several instances may share the database (PostgreSQL): the others
        #: must know at once, so the adapter writes positions itself as soon as they are known.
        self.deferred = deferred
        self._latest: Newest[int, tuple[int, int]] = Newest(kept)
        self._owners: Newest[int, tuple[int, int]] = Newest(kept)
        self._unwritten: Noted = ({}, {})

    def note(self, case_id: int, chat_id: int, message_id: int, owners: bool = False) -> None:
        """Remember where a case's card now is (`owners`: in its owner's chat)."""
        anywhere, in_owners = self._unwritten
        anywhere[case_id] = self._latest[case_id] = (chat_id, message_id)
        if owners:
            in_owners[case_id] = self._owners[case_id] = (chat_id, message_id)

    def where(self, case_id: int) -> tuple[int, int] | None:
        """Where this process last sent a case's card, if it remembers."""
        return self._latest.get(case_id)

    def owners(self, case_id: int) -> tuple[int, int] | None:
        """Where this process last sent a case's card in its owner's chat, if it remembers."""
        return self._owners.get(case_id)

    def take(self) -> Noted:
        """Hand over every position not yet written."""
        taken, self._unwritten = self._unwritten, ({}, {})
        return taken

    def give_back(self, noted: Noted) -> None:
        """Keep positions whose writing was rolled back (newer notes win)."""
        for kept, given in zip(self._unwritten, noted, strict=True):
            for case_id, position in given.items():
                kept.setdefault(case_id, position)


class SqlUnitOfWork:
    """Repositories sharing one transaction; rolled back unless committed."""

    def __init__(
        self,
        sessions: async_sessionmaker[Any],
        update_id: int | None = None,
        bot_id: int = 0,
        cards: PendingCards | None = None,
    ) -> None:
        self._sessions = sessions
        self.update_id = update_id
        self.bot_id = bot_id  # update ids are the bot's: a new token starts them again
        self.session: AsyncSession
        self._cards = cards
        self._writing: Noted = ({}, {})
        self._committed = False
        #: The cases whose requests' copies this unit's commit marked to be redrawn.
        self.ended_requests: list[int] = []

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.staff = SqlStaffRepository(self.session)
        self.customers = SqlCustomerRepository(self.session)
        self.cases = SqlCaseRepository(self.session)
        self.events = SqlEventRepository(self.session)
        self.invites = SqlInviteRepository(self.session)
        self.reminders = SqlReminderRepository(self.session)
        self.incidents = SqlIncidentRepository(self.session)
        self.redaction = SqlRedactionRepository(self.session)
        self.copies = SqlRequestCopyRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back anything uncommitted but keeps loaded objects readable,
        # so the adapter can still draw them after the unit ends.
        if any(self._writing) and not self._committed and self._cards is not None:
            self._cards.give_back(self._writing)
        await self.session.close()

    async def claim_update(self) -> bool:
        """Record this unit's update as handled, first thing; False if it was handled before.

        One `INSERT … ON CONFLICT DO NOTHING`: the record commits with the update's effects
        or not at all, and on PostgreSQL a second instance given the same update waits for
        the first one's commit and then finds it. Card positions noted since the last
        update are written here too, before the use case reads any case.
        """
        if self.update_id is None:
            return True
        done = await self.session.execute(
            insert_or_skip(tables.processed_updates),
            {
                "bot_id": self.bot_id,
                "update_id": self.update_id,
                "processed_at": datetime.now(UTC),
            },
        )
        if not getattr(done, "rowcount", 0):
            return False
        await self.write_cards()
        return True

    async def actor(self, telegram_id: int, case_id: int | None = None) -> Staff | None:
        """The person acting, found by Telegram id; the case they act on (`case_id`, else
        the one whose question they answer) and its customer come in the same statement,
        so the use case finds them loaded."""
        person, case, customer = await self.staff.acting(telegram_id, case_id)
        self.cases.hold(case, customer)
        return person

    async def write_cards(self) -> None:
        """Write the card positions noted since the last update, in this transaction."""
        if self._cards is not None:
            self._writing = self._cards.take()
            await self.cases.remember_cards(*self._writing)

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

    async def last_update_id(self) -> int:
        """The highest update id of this bot still remembered as handled; 0 if none is."""
        updates = tables.processed_updates.c
        found = await self.session.execute(
            select(func.max(updates.update_id)).where(updates.bot_id == self.bot_id)
        )
        return int(found.scalar() or 0)

    async def last_message_id(self) -> int:
        """The highest id of a message of the bot's kept anywhere (a case's card, its owner's,
        a request's copy); 0 if none is."""
        cases, copies = tables.cases.c, tables.request_copies.c
        kept = (
            select(func.max(cases.card_message_id)).scalar_subquery(),
            select(func.max(cases.owner_card_message_id)).scalar_subquery(),
            select(func.max(copies.message_id)).scalar_subquery(),
        )
        found = (await self.session.execute(select(*kept))).one()
        return max((int(n) for n in found if n is not None), default=0)

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

    async def commit(self) -> None:
        """Write everything done in this unit (the update's id too, once claimed), with the
        copies of every request it ended marked to be redrawn (`ended_requests`)."""
        self.ended_requests = await self.copies.end_noted()
        await self.session.commit()
        self._committed = True

    async def rollback(self) -> None:
        """Drop everything done in this unit."""
        self.copies.forget_noted()
        await self.session.rollback()
