"""Load: a hundred members of staff walking complaints at once through the real Application.

Who: 100 registered staff, each a `Person` in a private chat of their own, speaking
Vietnamese, all at once (`asyncio.gather`). Each walks whole complaints, one after another
(`tests/bot/crowd.py`): /new, a new customer (or, some walks, an earlier one found by phone —
whose second complaint flags them at risk), the complaint, then the five steps with a typed
apology or a skip, now and then a note, a fix done or promised for later, a look at the
timeline (/case N) and, before some walks, /cases; it ends with the follow-up scheduled or
with the customer satisfied and the case closed.

The path, as in production: the application is started and every update is handed over as
our transports do — the poller (`bot/poller.py`) and the webhook server (`bot/webhook.py`)
run each as a task of its own through `bot.processor.handle`, which puts it through the
application's update processor (`bot/processor.py`), whose limit applies:
`telegram.concurrent_updates` (16) chats at once, on SQLite as on PostgreSQL; it returns once
the handler has committed. (`Person.send` alone would call `Application.process_update`
directly and skip the processor and its limit.) One difference: PTB's rate limiter, which
holds the bot to Telegram's 30 calls a second, is swapped for a pass-through, as in the
benchmarks. At about one paced call per update it caps the bot at ~30 updates/s, so the run
would measure Telegram's limit rather than the application, and a CI run could not give
every member of staff one whole complaint in a minute. The limiter only waits; it keeps
nothing per update.

How long: a warm-up (16 of them walk two complaints each, the rest list their cases), then
rounds in which every one of the 100 walks one complaint, until LOAD_MINUTES have passed —
at least one round. Unset, that is one round: ~2,000 updates, 30-60 s per database engine on
two cores. `LOAD_MINUTES=10` runs ten minutes.

What must hold: every walk got what a person expects next; every update was handled once and
logged `status=ok`; nothing was logged at WARNING or above, by any logger; the processor
served at most its limit of chats at once (and reached it: the load was real); the database
holds exactly the cases, customers, processed updates and case events the walks must have
left — each case's events in order, numbered 1..n, ending in the state its walk ended in;
and memory stayed flat (see `LiveMemory`).

`pytest -s` prints the figures.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from benchmarks.common import build_app, counting_statuses, register_staff
from bot.app import concurrency, offline
from bot.processor import ChatOrderedProcessor
from bot.screens import Screens
from bot.services import Services
from standin.inprocess import FakeBotApi
from storage.engine import is_sqlite
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import settings_for
from tests.bot.crowd import Tally, Walker, crowd
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

STAFF = 100
#: These walk two complaints each in the warm-up, which covers every kind of walk (they vary
#: with the walker's number plus the walk's) and as many chats at once as PostgreSQL serves.
WARM_UP_STAFF = 16


def load_minutes() -> float:
    """How long the measured rounds go on (LOAD_MINUTES); 0, the default, is one round."""
    return float(os.environ.get("LOAD_MINUTES") or 0)


@dataclass(frozen=True)
class LiveMemory:
    """What the process holds, after a full garbage collection.

    `blocks` counts the live allocations of Python's object allocator
    (`sys.getallocatedblocks`): every object, container, string, buffer. The gate is on
    blocks rather than on tracemalloc's bytes because tracing every allocation cuts the
    throughput by more than half (measured in alternate rounds on SQLite: 53 and 43
    updates/s untraced, 20 and 22 traced), and load is what is being tested. Blocks cost
    nothing to count and are exact, and keeping anything per update (an Update, a row, a
    future, a log record, even one int) adds at least one block per update. RSS also moves
    with SQLite's and the allocator's caches; it is reported and only bounded loosely.
    """

    blocks: int
    rss_mb: float

    @staticmethod
    def now() -> LiveMemory:
        """Collect garbage (which also empties the interpreter's free lists), then measure."""
        gc.collect()
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return LiveMemory(sys.getallocatedblocks(), pages * os.sysconf("SC_PAGE_SIZE") / 2**20)


#: Live allocations the measured rounds may add, per update they handle. What legitimately
#: grows with the updates is the test's own record of each walk (a case id and a dict slot,
#: ~2 blocks per walk of ~20 updates). Keeping anything at all per update adds at least one
#: block per update — keeping the Update itself or its log record, dozens — so half a block
#: per update lies between the two. Measured: -0.4 to +0.1 per update on SQLite after the
#: first round, +0.4 to +0.6 on PostgreSQL while its caches fill (below).
BLOCKS_PER_UPDATE = 0.5
#: ...plus this much for caches that fill once and then stay: SQLAlchemy's compiled
#: statements and, on PostgreSQL, the statements each of the 10 pooled connections prepares
#: (up to 100 each), one more for every length of an IN list (/cases looks up the customers
#: of up to 8 cases). Measured on PostgreSQL: +1,200 to +2,000 blocks in the first round,
#: +3,700 over five, each round adding less. With it, a leak of 4 blocks per update (tried:
#: four ints kept per update, +7,500) fails the default run of ~2,000 updates; keeping the
#: Update itself, +128,000; a leak of 1 block per update (a bare int) fails a ten-minute run
#: (~35,000 updates).
BLOCKS_SLACK = 5_000
#: RSS is only bounded loosely: it also holds SQLite's page cache (2 MB per connection) and
#: arenas the allocator keeps. Measured: +16 MB in the first round on SQLite, then about
#: +0.5 MB a round; +9 MB over five rounds on PostgreSQL. A leak outside Python's allocator
#: (in a driver's C code) of 2 KB per update exceeds it in a ten-minute run.
RSS_GROWTH_MB = 48.0


@dataclass
class Round:
    """What one round (or the warm-up) did and what it left."""

    name: str
    updates: int
    seconds: float
    calls: int  # Bot API calls the bot made
    paced: int  # ...of them naming a chat: those Telegram's limit applies to
    memory: LiveMemory

    def line(self) -> str:
        """One line of figures."""
        return (
            f"  {self.name}: {self.updates:,} updates in {self.seconds:.1f} s "
            f"({self.updates / self.seconds:.1f}/s); live blocks {self.memory.blocks:,}, "
            f"RSS {self.memory.rss_mb:.1f} MB"
        )


class PeakConcurrency:
    """Samples how many chats the update processor is serving at once; keeps the peak."""

    def __init__(self, processor: ChatOrderedProcessor) -> None:
        self.processor = processor
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    def __enter__(self) -> PeakConcurrency:
        self._task = asyncio.get_running_loop().create_task(self._sample())
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, self.processor.busy_chats)
            await asyncio.sleep(0.002)


async def run_round(
    name: str, walks: Sequence[Walker], looks: Sequence[Walker], api: FakeBotApi, tally: Tally
) -> Round:
    """Everyone in `walks` walks one complaint while everyone in `looks` lists their cases."""
    started, before = time.perf_counter(), tally.updates
    await asyncio.gather(*(w.walk() for w in walks), *(w.look() for w in looks))
    seconds = time.perf_counter() - started
    paced = sum(1 for _, params in api.calls if "chat_id" in params)
    calls = len(api.calls)
    # The stand-in's records of calls and updates are not needed: keep its memory flat.
    api.calls.clear()
    api.answers.clear()
    api.updates.clear()
    return Round(name, tally.updates - before, seconds, calls, paced, LiveMemory.now())


async def test_a_hundred_staff_walking_complaints_at_once_lose_and_repeat_nothing(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url)
    engine = "SQLite" if is_sqlite(database_url) else "PostgreSQL"
    api = FakeBotApi()
    app = build_app(settings, api, limited=False, clock=clock)
    processor = app.update_processor
    assert isinstance(processor, ChatOrderedProcessor)
    tally = Tally()
    async with offline(app) as services:
        # What each chat shows is remembered for the newest cards only (10,000 by default):
        # kept for as many as the warm-up draws, it is full before the measured rounds.
        services.screens = Screens(kept=STAFF)
        staff = await register_staff(app, STAFF, language="vi")
        walkers = crowd(app, api, staff, tally)
        await app.start()
        try:
            with counting_statuses() as log, PeakConcurrency(processor) as served:
                warm, rest = walkers[:WARM_UP_STAFF], walkers[WARM_UP_STAFF:]
                print(f"\nload on {engine}: {STAFF} staff")
                for half in ("1/2", "2/2"):
                    warm_up = await run_round(f"warm-up {half}", warm, rest, api, tally)
                    print(warm_up.line())
                    rest = []
                rounds: list[Round] = []
                deadline = time.perf_counter() + load_minutes() * 60
                while not rounds or time.perf_counter() < deadline:
                    rounds.append(
                        await run_round(f"round {len(rounds) + 1}", walkers, [], api, tally)
                    )
                    print(rounds[-1].line())
                    assert not tally.failures, tally.failures[:5]
        finally:
            await app.stop()

    measured = sum(r.updates for r in rounds)
    seconds = sum(r.seconds for r in rounds)
    calls, paced = sum(r.calls for r in rounds), sum(r.paced for r in rounds)
    start, end = warm_up.memory, rounds[-1].memory
    growth = end.blocks - start.blocks
    stored = await stored_state(services)
    print(
        f"  updates handled: {tally.updates:,} in all, {measured:,} measured in "
        f"{seconds:.1f} s = {measured / seconds:.1f} updates/s; statuses {dict(log.statuses)}; "
        f"warnings and errors logged: {sum(log.warnings.values())}\n"
        f"  Bot API calls per update: {calls / measured:.2f}, {paced / measured:.2f} of them "
        f"paced by Telegram's limit; chats served at once: at most {served.peak} "
        f"(limit {concurrency(settings)})\n"
        f"  cases: {len(stored.cases):,} {dict(Counter(stored.cases.values()))}; "
        f"case events stored: {stored.events:,} (expected {tally.events:,})\n"
        f"  memory after the warm-up -> at the end: live blocks {start.blocks:,} -> "
        f"{end.blocks:,} ({growth:+,}, {growth / measured:+.3f} per update; "
        f"bound {BLOCKS_SLACK + BLOCKS_PER_UPDATE * measured:,.0f}); "
        f"RSS {start.rss_mb:.1f} -> {end.rss_mb:.1f} MB"
    )

    assert not tally.failures, tally.failures[:5]
    assert dict(log.statuses) == {"ok": tally.updates}
    assert not log.warnings, log.warnings  # errors included
    assert served.peak == concurrency(settings)
    assert (stored.processed_updates, stored.customers) == (tally.updates, tally.new_customers)
    assert (len(stored.cases), stored.events) == (len(tally.expected), tally.events)
    wrong = {
        case: {"expected": (kinds, str(state)), "stored": stored.case(case)}
        for case, (kinds, state) in tally.expected.items()
        if stored.case(case) != (kinds, str(state))
    }
    assert not wrong, f"{len(wrong)} cases differ, e.g. {list(wrong.items())[:3]}"
    assert stored.misnumbered == []
    assert growth < BLOCKS_SLACK + BLOCKS_PER_UPDATE * measured
    assert end.rss_mb - start.rss_mb < RSS_GROWTH_MB


@dataclass
class Stored:
    """What the database holds after the run."""

    processed_updates: int
    customers: int
    events: int
    cases: dict[int, str]  # id -> state
    kinds: dict[int, tuple[str, ...]]  # case id -> its events' kinds, by seq
    misnumbered: list[int]  # cases whose events are not numbered 1..n or whose count is off

    def case(self, case_id: int) -> tuple[tuple[str, ...] | None, str | None]:
        """A case's events' kinds, by seq, and its state."""
        return self.kinds.get(case_id), self.cases.get(case_id)


async def stored_state(services: Services) -> Stored:
    """Read back what the run left in the database."""
    async with SqlUnitOfWork(services.sessions) as uow:

        async def rows(sql: str) -> Sequence[Any]:
            return (await uow.session.execute(text(sql))).all()

        [(processed,)] = await rows("SELECT count(*) FROM processed_updates")
        [(customers,)] = await rows("SELECT count(*) FROM customers")
        cases = await rows("SELECT id, state, events_count FROM cases")
        events = await rows("SELECT case_id, seq, kind FROM case_events ORDER BY case_id, seq")
    kinds: dict[int, list[str]] = {}
    numbers: dict[int, list[int]] = {}
    for event in events:
        kinds.setdefault(event.case_id, []).append(event.kind)
        numbers.setdefault(event.case_id, []).append(event.seq)
    return Stored(
        processed_updates=processed,
        customers=customers,
        events=len(events),
        cases={case.id: case.state for case in cases},
        kinds={case_id: tuple(found) for case_id, found in kinds.items()},
        misnumbered=[
            case.id
            for case in cases
            if numbers.get(case.id, []) != list(range(1, case.events_count + 1))
        ],
    )
