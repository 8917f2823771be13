"""Claiming reminder rows under a lease, on a migrated database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from flows.model import Reminder, ReminderStatus
from storage import tables
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def reminder(due_at: datetime, dedupe_key: str | None = None) -> Reminder:
    return Reminder(
        kind="follow_up",
        due_at=due_at,
        payload={"note": "Gọi lại chị Hương"},
        dedupe_key=dedupe_key,
        created_at=NOW - timedelta(days=1),
    )


async def add(sessions: async_sessionmaker[Any], due_times: Iterable[datetime]) -> list[int]:
    """Add one reminder per due time, in the order given; return their ids."""
    async with SqlUnitOfWork(sessions) as uow:
        rows = [reminder(due_at) for due_at in due_times]
        for row in rows:
            uow.reminders.add(row)
        await uow.session.flush()
        await uow.commit()
    return [row.id or 0 for row in rows]


async def claim(
    sessions: async_sessionmaker[Any], now: datetime, limit: int = 10
) -> list[Reminder]:
    """One scheduler tick's claim, in its own committed transaction."""
    async with SqlUnitOfWork(sessions) as uow:
        claimed = list(await uow.reminders.claim_due(now, limit, LEASE))
        await uow.commit()
    return claimed


async def load(sessions: async_sessionmaker[Any], reminder_id: int) -> Reminder:
    async with SqlUnitOfWork(sessions) as uow:
        row = await uow.session.get(Reminder, reminder_id)
    assert row is not None
    return row


async def test_only_due_rows_are_claimed_oldest_first_and_no_more_than_the_limit(
    sessions: async_sessionmaker[Any],
) -> None:
    minutes_ago = [3, 1, 5, 2, 4]  # inserted out of order: ids do not follow due times
    due = await add(sessions, (NOW - timedelta(minutes=m) for m in minutes_ago))
    await add(sessions, (NOW + timedelta(minutes=m) for m in (1, 10, 60 * 24)))
    oldest_first = [due[minutes_ago.index(m)] for m in sorted(minutes_ago, reverse=True)]

    first = await claim(sessions, NOW, limit=3)
    assert [r.id for r in first] == oldest_first[:3]
    assert all(r.lease_until == NOW + LEASE and r.attempts == 1 for r in first)
    assert all(r.payload == {"note": "Gọi lại chị Hương"} for r in first)

    assert [r.id for r in await claim(sessions, NOW, limit=3)] == oldest_first[3:]
    assert await claim(sessions, NOW, limit=3) == []


async def test_a_claimed_row_is_claimed_again_only_after_its_lease_runs_out(
    sessions: async_sessionmaker[Any],
) -> None:
    [row_id] = await add(sessions, [NOW - timedelta(minutes=1)])
    assert [r.id for r in await claim(sessions, NOW)] == [row_id]

    assert await claim(sessions, NOW + LEASE - timedelta(seconds=1)) == []  # still held

    later = NOW + LEASE + timedelta(seconds=1)
    [again] = await claim(sessions, later)  # its claimer died without settling
    assert (again.id, again.attempts, again.lease_until) == (row_id, 2, later + LEASE)


async def test_settling_with_a_lease_no_longer_held_changes_nothing(
    sessions: async_sessionmaker[Any],
) -> None:
    [row_id] = await add(sessions, [NOW - timedelta(minutes=1)])
    [stale] = await claim(sessions, NOW)
    [current] = await claim(sessions, NOW + LEASE + timedelta(seconds=1))

    async with SqlUnitOfWork(sessions) as uow:
        settled = await uow.reminders.settle(row_id, stale.lease_until, "sent", NOW + LEASE)
        await uow.commit()
    assert not settled
    row = await load(sessions, row_id)
    assert (row.status, row.lease_until, row.sent_at) == (
        ReminderStatus.pending,
        current.lease_until,
        None,
    )

    settle_at = NOW + LEASE + timedelta(seconds=2)
    async with SqlUnitOfWork(sessions) as uow:
        settled = await uow.reminders.settle(row_id, current.lease_until, "sent", settle_at)
        await uow.commit()
    assert settled
    row = await load(sessions, row_id)
    assert (row.status, row.lease_until, row.sent_at) == (ReminderStatus.sent, None, settle_at)
    assert await claim(sessions, NOW + timedelta(days=1)) == []


async def test_a_reminder_with_a_dedupe_key_is_added_only_once(
    sessions: async_sessionmaker[Any],
) -> None:
    added = []
    for _ in range(2):
        async with SqlUnitOfWork(sessions) as uow:
            added.append(await uow.reminders.add_once(reminder(NOW, "digest:2026-11-23")))
            added.append(await uow.reminders.add_once(reminder(NOW, None)))
            await uow.commit()
    assert added == [True, True, False, True]  # rows without a key are never duplicates

    async with SqlUnitOfWork(sessions) as uow:
        key = tables.reminders.c.dedupe_key
        counts = await uow.session.execute(
            select(
                func.count().filter(key == "digest:2026-11-23"), func.count().filter(key.is_(None))
            )
        )
        assert counts.one() == (1, 2)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_schedulers_claiming_at_once_take_disjoint_rows_and_miss_none(
    sessions: async_sessionmaker[Any],
) -> None:
    everything = set(await add(sessions, (NOW - timedelta(seconds=s) for s in range(300))))

    async def scheduler() -> list[int]:
        taken: list[int] = []
        while batch := await claim(sessions, NOW, limit=7):
            taken += [r.id or 0 for r in batch]
        return taken

    first, second = await asyncio.gather(scheduler(), scheduler())
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(everything)  # every row, each exactly once


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_rows_held_by_an_unfinished_claim_are_skipped_rather_than_waited_for(
    sessions: async_sessionmaker[Any],
) -> None:
    oldest, middle, newest = await add(sessions, (NOW - timedelta(minutes=m) for m in (3, 2, 1)))
    async with SqlUnitOfWork(sessions) as slow:
        held = await slow.reminders.claim_due(NOW, 2, LEASE)  # its transaction stays open
        assert [r.id for r in held] == [oldest, middle]
        other = await asyncio.wait_for(claim(sessions, NOW), timeout=5)
        assert [r.id for r in other] == [newest]
