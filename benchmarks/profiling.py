"""What stands between our updates and the floor: SQL per update and where the time goes.

One member of staff walks complaints one update at a time. The functions at the borders of
the update path (the session's database calls, Bot API requests, the stand-in, rendering,
the use cases, the state machine) are wrapped with a clock that charges each moment of wall
time to the innermost one running, so the buckets add up to the handler time. cProfile and
pyinstrument were tried first: both slow this call-heavy async path 3-5x and blur the
SQLite thread's waits, so their shares mislead. `python -m benchmarks.profiling` prints the
pyinstrument tree of the same walk, to drill down.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import aiosqlite
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Bot
from telegram.ext import Application

from benchmarks.common import TimedApplication, build_app, register_staff, settings_for, sqlite_url
from benchmarks.walk import walk_cases
from bot.app import offline
from bot.render import Renderer
from bot.services import Services
from flows.decisions import Decisions
from flows.desk import Desk
from flows.lists import Lists
from flows.machine import Flow
from flows.people import People
from standin.inprocess import FakeBotApi, Person
from storage.uow import SqlUnitOfWork

DISPATCH = "PTB dispatch, handler and delivery glue, logging"
DATABASE = "database: AsyncSession calls (SQLAlchemy, aiosqlite, SQLite)"
REQUESTS = "PTB: building Bot API requests, parsing replies"
STAND_IN = "Bot API stand-in answering (not app cost)"
RENDERING = "rendering messages and buttons (bot/render/)"
USE_CASES = "use cases (flows/desk.py, flows/people.py)"
MACHINE = "state machine (transitions)"
SESSION_CALLS = ("execute", "get", "commit", "close", "flush", "scalar", "scalars", "rollback")


#: Operations timed whole (inclusive), to price what a fix would remove.
HANDOFFS = "hand-offs to the SQLite thread (aiosqlite calls)"
OPERATIONS: tuple[tuple[type, str, str], ...] = (
    (aiosqlite.Connection, "_execute", HANDOFFS),
    (SqlUnitOfWork, "claim_update", "recording the update id (INSERT … ON CONFLICT)"),
    (SqlUnitOfWork, "actor", "loading the person and the case they act on (one SELECT)"),
    (SqlUnitOfWork, "commit", "commit (flush, COMMIT)"),
    (Desk, "view", "loading the case's owner and customer (Desk.view)"),
    (SqlUnitOfWork, "__aexit__", "closing the session (rollback, return connection)"),
)


class SpanClock:
    """Charge wall time to the innermost wrapped function running (one update at a time).

    `OPERATIONS` are also timed whole, whatever runs inside them.
    """

    def __init__(self) -> None:
        self.totals: defaultdict[str, float] = defaultdict(float)
        self.operations: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._stack: list[str] = []
        self._since = 0.0

    def _switch(self, bucket: str | None) -> None:
        now = time.perf_counter()
        if self._stack:
            self.totals[self._stack[-1]] += now - self._since
        if bucket is None:
            self._stack.pop()
        else:
            self._stack.append(bucket)
        self._since = now

    def wrap(self, function: Callable[..., Any], bucket: str) -> Callable[..., Any]:
        """Return `function` charging its own time to `bucket`."""
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                self._switch(bucket)
                try:
                    return await function(*args, **kwargs)
                finally:
                    self._switch(None)

            return timed_async

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._switch(bucket)
            try:
                return function(*args, **kwargs)
            finally:
                self._switch(None)

        return timed

    def whole(self, function: Callable[..., Any], label: str) -> Callable[..., Any]:
        """Return the coroutine function `function`, timed whole under `label`."""

        @functools.wraps(function)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.operations[label] += time.perf_counter() - started
                self.calls[label] += 1

        return timed

    @contextmanager
    def installed(self) -> Iterator[SpanClock]:
        """Wrap the borders of the update path for the duration of the block."""
        with ExitStack() as stack:
            for owner, name, bucket in _borders():
                original = getattr(owner, name)
                stack.enter_context(mock.patch.object(owner, name, self.wrap(original, bucket)))
            for owner, name, label in OPERATIONS:
                original = getattr(owner, name)
                stack.enter_context(mock.patch.object(owner, name, self.whole(original, label)))
            yield self


def _public(cls: type, kind: Callable[[Any], bool]) -> list[str]:
    return [n for n, f in vars(cls).items() if not n.startswith("_") and kind(f)]


def _borders() -> Iterator[tuple[type, str, str]]:
    yield Application, "process_update", DISPATCH
    for name in SESSION_CALLS:
        yield AsyncSession, name, DATABASE
    yield Bot, "_post", REQUESTS
    yield FakeBotApi, "do_request", STAND_IN
    yield Services, "renderer", RENDERING
    for family in Renderer.__mro__[:-1]:  # each family of screens, and their base
        for name in _public(family, inspect.isfunction):
            yield family, name, RENDERING
    for cls in (Desk, Decisions, Lists, People):
        for name in _public(cls, inspect.iscoroutinefunction):
            yield cls, name, USE_CASES
    yield Flow, "fire", MACHINE
    yield Flow, "may", MACHINE


@dataclass
class Walk:
    """How many updates a measured walk took, the handler time, and the statements it ran."""

    updates: int
    handler_seconds: float
    statements: Counter[str]


@contextmanager
def counting_statements(engine: AsyncEngine) -> Iterator[Counter[str]]:
    """Count statements by verb, and commits, run on `engine` meanwhile."""
    counts: Counter[str] = Counter()
    sync = engine.sync_engine

    def on_execute(*args: Any) -> None:
        counts[str(args[2]).split(None, 1)[0].upper()] += 1

    def on_commit(_connection: Any) -> None:
        counts["COMMIT"] += 1

    event.listen(sync, "before_cursor_execute", on_execute)
    event.listen(sync, "commit", on_commit)
    try:
        yield counts
    finally:
        event.remove(sync, "before_cursor_execute", on_execute)
        event.remove(sync, "commit", on_commit)


async def measured_walk(directory: Path, cases: int, measure: AbstractContextManager[Any]) -> Walk:
    """One member of staff walks `cases` complaints inside `measure` (a profiler)."""
    api = FakeBotApi()
    app = build_app(settings_for(sqlite_url(directory, "profile.sqlite3")), api, limited=False)
    async with offline(app) as services:
        [telegram_id] = await register_staff(app, 1)
        timed = TimedApplication(app)
        person = Person(timed, api, telegram_id, "Staff", "en")  # type: ignore[arg-type]
        await walk_cases(person, 1)  # warm caches: compiled SQL, scripts, imports
        warm = len(timed.spans)
        with counting_statements(services.engine) as counts, measure:
            await walk_cases(person, cases)
    handler = sum(timed.latencies_ms()[warm:]) / 1000
    return Walk(len(timed.spans) - warm, handler, counts)


@dataclass
class Profile:
    """Where the handler time of one update goes, and the SQL it runs."""

    updates: int
    ms_per_update: float
    ms_by_bucket: dict[str, float]
    operations: dict[str, dict[str, float]]
    statements_per_update: dict[str, float]

    def summary(self) -> dict[str, Any]:
        """The profile as a plain dict."""
        return {
            "updates": self.updates,
            "handler_ms_per_update": round(self.ms_per_update, 2),
            "ms_per_update_by_bucket": self.ms_by_bucket,
            "operations_per_update": self.operations,
            "statements_per_update": self.statements_per_update,
        }


async def profile_updates(directory: Path, cases: int) -> Profile:
    """Walk `cases` complaints with the span clock on; return ms per update by bucket."""
    clock = SpanClock()
    walk = await measured_walk(directory, cases, clock.installed())
    per_update = 1000 / walk.updates
    return Profile(
        updates=walk.updates,
        ms_per_update=walk.handler_seconds * per_update,
        ms_by_bucket={
            bucket: round(seconds * per_update, 2)
            for bucket, seconds in _largest_first(clock.totals)
        },
        operations={
            label: {
                "ms": round(seconds * per_update, 2),
                "calls": round(clock.calls[label] / walk.updates, 2),
            }
            for label, seconds in _largest_first(clock.operations)
        },
        statements_per_update={
            verb: round(count / walk.updates, 2) for verb, count in walk.statements.most_common()
        },
    )


def _largest_first(totals: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(totals.items(), key=lambda item: -item[1])


def main() -> None:
    """Print the span profile, then pyinstrument's tree of the same walk if installed."""
    with tempfile.TemporaryDirectory() as tmp:
        for line, value in asyncio.run(profile_updates(Path(tmp), 5)).summary().items():
            print(f"{line}: {value}")
        try:
            from pyinstrument import Profiler
        except ImportError:
            return
        tree = Path(tmp, "tree")
        tree.mkdir()
        profiler = Profiler(async_mode="disabled")
        asyncio.run(measured_walk(tree, 5, profiler))
        sys.stdout.write(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
