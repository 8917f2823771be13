"""Reminder rows: add, claim what is due under a lease, and settle each one.

Claiming is one short writer transaction: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets
several schedulers take disjoint rows; on SQLite `BEGIN IMMEDIATE` serialises writers.
A claimed row carries a lease; if its process dies before settling it, the lease runs
out and the next tick claims it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Reminder, ReminderStatus
from flows.reminders import BLOCKED, HEAVY_KINDS, handed_over, never_reached
from storage import tables
from storage.insert_or_skip import insert_or_skip
from storage.leases import unheld_ids

R = tables.reminders.c


#: Due first, first; of rows held to the same time, the one that first fell due earliest.
CLAIM_ORDER = (R.due_at, R.first_due_at, R.id)


class SqlReminderRepository:
    """The reminders table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, reminder: Reminder) -> None:
        """Schedule a reminder as part of the current transaction."""
        self.session.add(reminder)

    async def add_once(self, reminder: Reminder) -> bool:
        """Schedule a reminder unless one with the same dedupe key exists; tell which."""
        values = {
            "kind": reminder.kind,
            "due_at": reminder.due_at,
            "first_due_at": reminder.first_due_at,
            "recipient_id": reminder.recipient_id,
            "chat_id": reminder.chat_id,
            "case_id": reminder.case_id,
            "payload": reminder.payload,
            "status": reminder.status,
            "attempts": 0,
            "dedupe_key": reminder.dedupe_key,
            "created_at": reminder.created_at,
        }
        result = await self.session.execute(insert_or_skip(tables.reminders), values)
        return bool(cast("CursorResult[Any]", result).rowcount)

    async def claim_due(
        self, now: datetime, limit: int, lease: timedelta, heavy: bool = False
    ) -> Sequence[Reminder]:
        """Take up to `limit` due rows that nobody holds, and lease them to this process.

        `heavy` picks the reports and exports to work out instead of the messages to send.
        """
        kinds = R.kind.in_(HEAVY_KINDS) if heavy else R.kind.not_in(HEAVY_KINDS)
        due = (
            select(R.id)
            .where(R.status == ReminderStatus.pending, R.due_at <= now, kinds)
            .where(or_(R.lease_until.is_(None), R.lease_until < now))
            .order_by(*CLAIM_ORDER)
            .limit(limit)
        )
        ids = await unheld_ids(self.session, due)
        if not ids:
            return []
        await self.session.execute(
            update(tables.reminders)
            .where(R.id.in_(ids))
            .values(lease_until=now + lease, attempts=R.attempts + 1)
        )
        rows = await self.session.execute(
            select(Reminder).where(R.id.in_(ids)).order_by(*CLAIM_ORDER)
        )
        return rows.scalars().all()

    async def settle(
        self,
        reminder_id: int,
        lease_until: datetime | None,
        status: str,
        now: datetime,
        error: str | None = None,
    ) -> bool:
        """Mark a claimed row sent, failed or dropped, if this process still holds it."""
        result = await self.session.execute(
            update(tables.reminders)
            .where(R.id == reminder_id, _held(lease_until))
            .values(status=status, sent_at=now, lease_until=None, last_error=error)
        )
        return bool(cast("CursorResult[Any]", result).rowcount)

    async def renew_leases(
        self, reminders: Sequence[Reminder], lease_until: datetime
    ) -> list[Reminder]:
        """Extend the leases this process still holds; return the rows it still holds."""
        held = []
        for reminder in reminders:
            result = await self.session.execute(
                update(tables.reminders)
                .where(R.id == reminder.id, _held(reminder.lease_until))
                .values(lease_until=lease_until)
            )
            if cast("CursorResult[Any]", result).rowcount:
                held.append(reminder)
        return held

    async def retry_at(
        self,
        reminder_id: int,
        lease_until: datetime | None,
        when: datetime,
        error: str,
        count_attempt: bool = True,
    ) -> None:
        """Put a claimed row back, to be claimed again at `when`."""
        values: dict[str, object] = {"due_at": when, "lease_until": None, "last_error": error}
        if not count_attempt:
            values["attempts"] = R.attempts - 1
        await self.session.execute(
            update(tables.reminders)
            .where(R.id == reminder_id, _held(lease_until))
            .values(**values)
        )

    async def send_again_to(self, staff_id: int, kinds: Sequence[str], now: datetime) -> None:
        """Put back the reminders of these kinds that failed because the person had blocked
        the bot: they are reachable again (each is checked again when due: one whose case
        moved on meanwhile is dropped then)."""
        await self.session.execute(
            update(tables.reminders)
            .where(
                R.recipient_id == staff_id,
                R.status == ReminderStatus.failed,
                R.last_error == BLOCKED,
                R.kind.in_(kinds),
            )
            .values(status=ReminderStatus.pending, due_at=now, attempts=0, last_error=None)
        )

    async def hand_over(
        self, case_id: int, kinds: Sequence[str], giver_id: int, taker_id: int
    ) -> None:
        """A case changed hands: its pending reminders of these kinds go to `taker_id`: those
        for `giver_id`, and of the copies handed to the supervisors when the giver left
        (`handover:<first>:<person>`), one for each reminder first handed over, the rest
        dropped (nobody else is reminded of the case any more); those that never reached
        the giver (blocked) are due again, for the taker."""
        rows = await self.session.execute(
            select(Reminder).where(R.case_id == case_id, R.kind.in_(kinds)).order_by(R.id)
        )
        for reminder, key in handed_over(rows.scalars().all(), giver_id, taker_id):
            if key is None:
                reminder.status = ReminderStatus.dropped
            else:
                if never_reached(reminder):  # due again, for the taker
                    reminder.status, reminder.last_error = ReminderStatus.pending, None
                    reminder.attempts = 0
                reminder.recipient_id, reminder.dedupe_key = taker_id, key or None

    async def pending_count(self) -> int:
        """Count reminders not yet settled."""
        result = await self.session.execute(
            select(func.count()).where(R.status == ReminderStatus.pending)
        )
        return int(result.scalar_one())


def _held(lease_until: datetime | None):  # type: ignore[no-untyped-def]
    return R.lease_until.is_(None) if lease_until is None else and_(R.lease_until == lease_until)
