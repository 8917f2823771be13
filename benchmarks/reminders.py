"""Reminders: claiming from a million pending rows, start-up, and delivery pacing."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from benchmarks.common import MONDAY_9AM, build_app, register_staff, settings_for, sqlite_url
from bot.app import offline, start_scheduler, stop_scheduler
from bot.standin import FakeBotApi
from flows.model import Case, CaseKind, Customer, Reminder, ReminderStatus
from flows.procedures.complaint import Step
from flows.reminders import Kind, iso
from storage import tables
from storage.engine import create_engine, session_factory
from storage.uow import SqlUnitOfWork

LEASE = timedelta(minutes=2)


@dataclass
class Claims:
    """What claiming every due row, 1,000 at a time, cost."""

    claimed: int
    ms_per_1000: float
    first_ms: float
    last_ms: float
    empty_claim_ms: float

    def summary(self) -> dict[str, Any]:
        """The figures, rounded."""
        return {k: round(v, 2) for k, v in vars(self).items()}


async def measure_claims(path: Path, now: datetime, per_claim: int = 1000) -> Claims:
    """Claim due rows `per_claim` at a time until none is left; settle each batch untimed.

    A first claim of ten rows, not timed, warms the connection and the compiled statements.
    """
    engine = create_engine(sqlite_url(path.parent, path.name))
    sessions = session_factory(engine)
    timings: list[float] = []
    claimed = 0
    try:
        async with SqlUnitOfWork(sessions) as uow:
            warm = await uow.reminders.claim_due(now, 10, LEASE)
            await uow.commit()
        await _settle_all(sessions, [r.id for r in warm if r.id is not None], now)
        while True:
            started = time.perf_counter()
            async with SqlUnitOfWork(sessions) as uow:
                batch = await uow.reminders.claim_due(now, per_claim, LEASE)
                await uow.commit()
            elapsed = time.perf_counter() - started
            if not batch:
                break
            timings.append(elapsed * 1000 * 1000 / len(batch))
            claimed += len(batch)
            await _settle_all(sessions, [r.id for r in batch if r.id is not None], now)
        empty = await _empty_claim_ms(sessions, now)
    finally:
        await engine.dispose()
    return Claims(claimed, sum(timings) / len(timings), timings[0], timings[-1], empty)


async def _settle_all(sessions: Any, ids: list[int], now: datetime) -> None:
    """Mark claimed rows sent, as delivery would, in one statement (not measured)."""
    async with SqlUnitOfWork(sessions) as uow:
        await uow.session.execute(
            update(tables.reminders)
            .where(tables.reminders.c.id.in_(ids))
            .values(status=ReminderStatus.sent, sent_at=now, lease_until=None)
        )
        await uow.commit()


async def _empty_claim_ms(sessions: Any, now: datetime, repeats: int = 20) -> float:
    """What a tick's claim costs when nothing is due (every row pending in the future)."""
    started = time.perf_counter()
    for _ in range(repeats):
        async with SqlUnitOfWork(sessions) as uow:
            await uow.reminders.claim_due(now, 100, LEASE)
            await uow.commit()
    return (time.perf_counter() - started) * 1000 / repeats


async def pending_count(path: Path) -> int:
    """Count pending reminders."""
    engine = create_engine(sqlite_url(path.parent, path.name))
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                select(func.count()).where(tables.reminders.c.status == ReminderStatus.pending)
            )
            return int(result.scalar_one())
    finally:
        await engine.dispose()


# ---------------------------------------------------------------------------- pacing


class ClockedBotApi(FakeBotApi):
    """The stand-in, noting when each sendMessage arrives; `all_sent` is set at `expected`."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected
        self.sent_at: list[float] = []
        self.all_sent = asyncio.Event()

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Note the moment of a sendMessage, then answer as the stand-in does."""
        if url.rsplit("/", 1)[-1].lower() == "sendmessage":
            self.sent_at.append(time.perf_counter())
            if len(self.sent_at) >= self.expected:
                self.all_sent.set()
        return await super().do_request(url, method, *args, **kwargs)


@dataclass
class Pacing:
    """How a burst of due follow-up reminders went out, as the running scheduler sends them."""

    due: int
    sent: int
    settled_sent: int
    doubled: int
    seconds_to_deliver_all: float
    sending_seconds: float
    per_second_while_sending: float
    max_in_any_second: int
    tick_seconds: float
    batch_size: int

    def summary(self) -> dict[str, Any]:
        """The figures, rounded."""
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in vars(self).items()}


async def measure_pacing(directory: Path, count: int) -> Pacing:
    """`count` follow-ups fall due at once; the scheduler's own loop delivers them, as deployed.

    The application is built as in production (rate limiter, default tick and batch), on a
    stand-in that answers at once; the clock stands still at the due time.
    """
    api = ClockedBotApi(count)
    settings = settings_for(sqlite_url(directory, "pacing.sqlite3"), reminders=True)
    app = build_app(settings, api, limited=True, clock=lambda: MONDAY_9AM)
    async with offline(app) as services:
        owners = await register_staff(app, 30)
        await _cases_due(services.sessions, count, owners)
        api.calls.clear()
        started = time.perf_counter()
        start_scheduler(app)
        limit = 60 + count / 10 + 4 * settings.reminders.tick_seconds
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(api.all_sent.wait(), limit)
        finished = time.perf_counter()
        await stop_scheduler(app)
        statuses = await _statuses(services.sessions)
    texts = Counter(str(params.get("text")) for name, params in api.calls if name == "sendMessage")
    sending = _busy_seconds(api.sent_at, settings.reminders.tick_seconds / 2)
    return Pacing(
        due=count,
        sent=len(api.sent_at),
        settled_sent=statuses.get(ReminderStatus.sent, 0),
        doubled=sum(n - 1 for n in texts.values() if n > 1),
        seconds_to_deliver_all=finished - started,
        sending_seconds=sending,
        per_second_while_sending=len(api.sent_at) / sending if sending else 0.0,
        max_in_any_second=_max_in_window(api.sent_at, 1.0),
        tick_seconds=settings.reminders.tick_seconds,
        batch_size=settings.reminders.batch_size,
    )


def _busy_seconds(moments: list[float], gap: float) -> float:
    """Time spent sending: the span of the moments, less pauses longer than `gap`."""
    pauses = (b - a for a, b in pairwise(moments) if b - a > gap)
    return (moments[-1] - moments[0] - sum(pauses)) if len(moments) > 1 else 0.0


async def _cases_due(sessions: Any, count: int, owners: list[int]) -> None:
    """`count` cases waiting for a follow-up due now, each with its reminder row."""
    async with SqlUnitOfWork(sessions) as uow:
        staff = [await uow.staff.by_telegram_id(telegram_id) for telegram_id in owners]
        for number in range(count):
            owner = staff[number % len(staff)]
            assert owner is not None
            assert owner.id is not None
            customer = await uow.customers.add(Customer(f"Khách {number}", f"khach {number}"))
            case = await uow.cases.add(_waiting_case(owner.id, customer.id))
            uow.reminders.add(
                Reminder(
                    kind=Kind.follow_up_due,
                    due_at=MONDAY_9AM,
                    recipient_id=owner.id,
                    case_id=case.id,
                    payload={"target": iso(MONDAY_9AM)},
                    created_at=MONDAY_9AM - timedelta(days=1),
                )
            )
        await uow.commit()


def _waiting_case(owner_id: int, customer_id: int | None) -> Case:
    opened = MONDAY_9AM - timedelta(days=2)
    return Case(
        kind=CaseKind.complaint,
        owner_id=owner_id,
        opened_at=opened,
        state=Step.awaiting_follow_up,
        customer_id=customer_id,
        summary="Giao hàng trễ 3 ngày",
        category="delay",
        severity="high",
        compensation_type="voucher",
        compensation_value=200_000,
        follow_up_due_at=MONDAY_9AM,
        updated_at=opened,
    )


async def _statuses(sessions: Any) -> dict[str, int]:
    async with SqlUnitOfWork(sessions) as uow:
        rows = await uow.session.execute(
            select(tables.reminders.c.status, func.count())
            .where(tables.reminders.c.kind == Kind.follow_up_due)
            .group_by(tables.reminders.c.status)
        )
        return {status: int(n) for status, n in rows.tuples()}


def _max_in_window(moments: list[float], width: float) -> int:
    """The most moments that fall in any window of `width` seconds."""
    best, first = 0, 0
    for last, moment in enumerate(moments):
        while moment - moments[first] >= width:
            first += 1
        best = max(best, last - first + 1)
    return best
