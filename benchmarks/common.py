"""What every benchmark shares: settings on a temp SQLite file, the application, timing."""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from telegram import Update
from telegram.ext import Application, BaseRateLimiter

import bot.app
from bot.app import build_application
from bot.config import Settings
from bot.services import utc_now
from flows.people import People
from standin.inprocess import FakeBotApi
from storage.uow import SqlUnitOfWork

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
Clock = Callable[[], datetime]

#: Monday 23 November 2026, 09:00 in Ho Chi Minh City: inside working hours.
MONDAY_9AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
FIRST_STAFF_ID = 100_000
_STATUS = re.compile(r"status=(\S+)")


def sqlite_url(directory: Path, name: str = "bench.sqlite3") -> str:
    """Return the URL of a SQLite file in `directory`."""
    return f"sqlite+aiosqlite:///{directory / name}"


def settings_for(
    url: str, *, concurrent_updates: int | None = None, reminders: bool = False
) -> Settings:
    """Default settings on `url`; the reminder loop (and the daily digest) off unless asked.

    `concurrent_updates` overrides `telegram.concurrent_updates`.
    """
    data: dict[str, Any] = {
        "database": {"url": url},
        "reminders": {"enabled": reminders, "digest": False},
        "logging": {"level": "WARNING"},
    }
    if concurrent_updates is not None:
        data["telegram"] = {"concurrent_updates": concurrent_updates}
    return Settings.model_validate(data)


def concurrent_updates_of(app: AnyApplication) -> int:
    """How many updates the application processes at once."""
    return app.update_processor.max_concurrent_updates


class NoRateLimit(BaseRateLimiter[int]):
    """Pass every call straight through: the application as built, minus the pacing."""

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Run the call at once."""
        return await callback(*args, **kwargs)


def build_app(
    settings: Settings, api: FakeBotApi, *, limited: bool, clock: Clock = utc_now
) -> AnyApplication:
    """`bot.app.build_application` on the stand-in, with or without the rate limiter."""
    if limited:
        return build_application(settings, request=api, clock=clock)
    with mock.patch.object(bot.app, "AIORateLimiter", return_value=NoRateLimit()):
        return build_application(settings, request=api, clock=clock)


async def register_staff(
    app: AnyApplication,
    count: int,
    role: str = "staff",
    language: str = "en",
    first: int = FIRST_STAFF_ID,
) -> list[int]:
    """Register `count` people speaking `language`, ids from `first`; return their ids."""
    services = app.bot_data.services
    ids = [first + i for i in range(count)]
    async with SqlUnitOfWork(services.sessions) as uow:
        people = People(uow, services.policy, services.clock)
        for telegram_id in ids:
            await people.register(telegram_id, f"Staff {telegram_id}", role, language)
        await uow.commit()
    return ids


class TimedApplication:
    """Stands in for the Application towards `Person`, and times every update.

    An update goes through the application's own update processor, as the updater hands
    it over in production, so its concurrency setting applies. Each span is (queued,
    started, finished): the wait for a slot, then the `process_update` call.
    """

    def __init__(self, app: AnyApplication) -> None:
        self.app = app
        self.bot = app.bot
        self.spans: list[tuple[float, float, float]] = []

    async def process_update(self, update: Update) -> None:
        """Process one update and note when it was queued, started and finished."""
        queued = time.perf_counter()
        done = asyncio.get_running_loop().create_future()
        # A processor may queue the update behind its chat's and return at once.
        await self.app.update_processor.process_update(update, self._timed(update, queued, done))
        await done

    async def _timed(self, update: Update, queued: float, done: asyncio.Future[None]) -> None:
        start = time.perf_counter()
        try:
            await self.app.process_update(update)
        finally:
            self.spans.append((queued, start, time.perf_counter()))
            done.set_result(None)

    def latencies_ms(self) -> list[float]:
        """Return how long each `process_update` call took, in milliseconds."""
        return [(end - start) * 1000 for _, start, end in self.spans]

    def waits_ms(self) -> list[float]:
        """Return how long each update waited for its turn, in milliseconds."""
        return [(start - queued) * 1000 for queued, start, _ in self.spans]


class StatusCounter(logging.Handler):
    """Count each update's outcome (the runtime's log line), and warnings and errors."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.statuses: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()  # errors included
        self.errors: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        """Count one update's status, or one warning or error by logger and message."""
        match = _STATUS.search(record.getMessage()) if record.name == "bot.updates" else None
        if match:
            self.statuses[match[1].split(":")[0]] += 1
        elif record.levelno >= logging.WARNING:
            self.warnings[f"{record.name}: {record.msg}"] += 1
            if record.levelno >= logging.ERROR:
                self.errors[f"{record.name}: {record.msg}"] += 1


@contextmanager
def counting_statuses() -> Iterator[StatusCounter]:
    """Count update outcomes, and warnings and errors from any logger, instead of printing.

    The one line per update is counted and goes nowhere else meanwhile: a handler that keeps
    records (pytest's log capture) would otherwise hold every one of them.
    """
    counter = StatusCounter()
    root, updates = logging.getLogger(), logging.getLogger("bot.updates")
    level, propagate = updates.level, updates.propagate
    root.addHandler(counter)
    updates.addHandler(counter)
    updates.setLevel(logging.INFO)
    updates.propagate = False
    try:
        yield counter
    finally:
        root.removeHandler(counter)
        updates.removeHandler(counter)
        updates.setLevel(level)
        updates.propagate = propagate


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0..100) by the nearest-rank method."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def machine() -> dict[str, Any]:
    """Describe the machine the figures were measured on."""
    return {
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "memory_gb": round(_total_memory_kb() / 1024 / 1024, 1),
    }


def _total_memory_kb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0
