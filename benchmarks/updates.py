"""Updates: staff walking complaints concurrently through the real Application, and the floor.

The floor is the same PTB Application on the same stand-in with one handler that only
replies (or answers the button press). It is fed the very updates our run received, per
person in the same order and with the same concurrency, so the two differ only in what the
handlers do.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import TypeHandler

from benchmarks.common import (
    FIRST_STAFF_ID,
    AnyApplication,
    TimedApplication,
    build_app,
    concurrent_updates_of,
    counting_statuses,
    percentile,
    register_staff,
    settings_for,
)
from benchmarks.walk import Pause, walk_cases
from bot.app import offline
from bot.context import Context
from standin.errors import JSONDict
from standin.inprocess import FakeBotApi, Person
from storage.uow import SqlUnitOfWork

#: Per person, the update JSON they sent, in order.
Streams = list[list[JSONDict]]


@dataclass(frozen=True)
class Window:
    """Count only updates that finish between `warmup` and `warmup + seconds` from the start."""

    warmup: float
    seconds: float


@dataclass
class Phase:
    """What one load phase measured."""

    updates: int
    seconds: float
    latencies_ms: list[float]
    waits_ms: list[float]
    api_calls: int
    paced_calls: int  # calls naming a chat: the ones AIORateLimiter holds to 30/s
    statuses: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    concurrency: int = 1

    @property
    def per_second(self) -> float:
        """Updates per second."""
        return self.updates / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        """The phase's figures, rounded for the report."""
        return {
            "updates": self.updates,
            "seconds": round(self.seconds, 3),
            "updates_per_s": round(self.per_second, 1),
            "p50_ms": round(percentile(self.latencies_ms, 50), 2),
            "p99_ms": round(percentile(self.latencies_ms, 99), 2),
            "wait_p50_ms": round(percentile(self.waits_ms, 50), 1),
            "wait_p99_ms": round(percentile(self.waits_ms, 99), 1),
            "api_calls_per_update": round(self.api_calls / max(len(self.latencies_ms), 1), 2),
            "paced_calls_per_update": round(self.paced_calls / max(len(self.latencies_ms), 1), 2),
            "concurrent_updates": self.concurrency,
            "statuses": self.statuses,
            "app_warnings": self.warnings,
            "walks_broken_off": len(self.failures),
            "failures": self.failures[:3],
        }


def _phase(timed: TimedApplication, api: FakeBotApi, window: Window | None) -> Phase:
    """Turn the spans of a run into a phase: all of them, or those ending in the window."""
    ends = [end for _, _, end in timed.spans]
    first = min(queued for queued, _, _ in timed.spans)
    latencies, waits = timed.latencies_ms(), timed.waits_ms()
    calls = (len(api.calls), sum(1 for _, params in api.calls if "chat_id" in params))
    if window is None:
        return Phase(len(ends), max(ends) - first, latencies, waits, *calls)
    origin = first + window.warmup
    inside = [end for end in ends if origin <= end < origin + window.seconds]
    return Phase(len(inside), window.seconds, latencies, waits, *calls)


def _deadline(window: Window | None) -> Callable[[], bool]:
    if window is None:
        return lambda: True
    stop = time.perf_counter() + window.warmup + window.seconds
    return lambda: time.perf_counter() < stop


async def run_ours(
    url: str,
    staff: int,
    cases: int,
    *,
    limited: bool,
    window: Window | None = None,
    concurrent_updates: int | None = None,
    first_id: int = FIRST_STAFF_ID,
    first_update_id: int = 1,
    think_s: float | None = None,
) -> tuple[Phase, Streams]:
    """`staff` people each walk `cases` complaints at once; return the phase and the updates.

    `concurrent_updates` overrides the setting of that name (None: the default); people's
    ids start at `first_id`, update ids at `first_update_id` (instances sharing a database
    are given disjoint updates, as Telegram does). With `think_s` each person pauses before
    each update, for a random time of that mean (exponential, seeded): a person's pace.
    """
    api = FakeBotApi(first_update_id=first_update_id)
    settings = settings_for(url, concurrent_updates=concurrent_updates)
    app = build_app(settings, api, limited=limited)
    async with offline(app):
        ids = await register_staff(app, staff, first=first_id)
        gc.collect()
        gc.freeze()  # as the transports do once started (bot/transport.py)
        timed = TimedApplication(app)
        people = [Person(timed, api, i, f"Staff {i}", "en") for i in ids]  # type: ignore[arg-type]
        api.calls.clear()
        keep_going = _deadline(window)
        with counting_statuses() as counter:
            results = await asyncio.gather(
                *(walk_cases(p, cases, keep_going, thinking(think_s, p)) for p in people)
            )
    phase = _phase(timed, api, window)
    phase.statuses = dict(counter.statuses)
    phase.warnings = dict(counter.warnings)
    phase.failures = [r.failure for r in results if r.failure]
    phase.concurrency = concurrent_updates_of(app)
    return phase, _streams(api)


def thinking(mean_s: float | None, person: Person) -> Pause | None:
    """Random pauses of mean `mean_s` before each of this person's updates, or none."""
    if mean_s is None:
        return None
    rng = random.Random(person.telegram_id)
    return lambda: rng.expovariate(1 / mean_s)


def _streams(api: FakeBotApi) -> Streams:
    by_person: dict[int, list[JSONDict]] = defaultdict(list)
    for update_id in sorted(api.updates):
        update = api.updates[update_id]
        sender = (update.get("message") or update.get("callback_query") or {}).get("from", {})
        by_person[int(sender.get("id", 0))].append(update)
    return [by_person[person] for person in sorted(by_person)]


async def _reply_only(update: Update, context: Context) -> None:
    """The floor's one handler: answer a button press, or reply "ok" to a message."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    elif update.effective_message is not None:
        await update.effective_message.reply_text("ok")


async def _reply_after_one_write(update: Update, context: Context) -> None:
    """The floor with one unit of work first: the update's id recorded, or found recorded."""
    services = context.bot_data.services
    async with SqlUnitOfWork(services.sessions, update.update_id) as uow:
        if not await uow.claim_update():
            return
        await uow.commit()
    await _reply_only(update, context)


def build_floor(
    url: str,
    api: FakeBotApi,
    *,
    limited: bool,
    concurrent_updates: int | None,
    one_write: bool = False,
) -> AnyApplication:
    """Our application exactly as built (on a database of its own: it sees the same update
    ids), with its handlers swapped for one that only replies.

    `one_write` makes the handler run one unit of work (duplicate check, the update's id,
    commit) before replying: the least any exactly-once handler does on this database.
    """
    app = build_app(settings_for(url, concurrent_updates=concurrent_updates), api, limited=limited)
    for group, handlers in list(app.handlers.items()):
        for handler in list(handlers):
            app.remove_handler(handler, group)
    app.add_handler(TypeHandler(Update, _reply_after_one_write if one_write else _reply_only))
    return app


async def run_floor(
    url: str,
    streams: Streams,
    *,
    limited: bool,
    window: Window | None = None,
    concurrent_updates: int | None = None,
    one_write: bool = False,
) -> Phase:
    """Feed the floor the same updates, per person in order, all people at once."""
    api = FakeBotApi()
    app = build_floor(
        url,
        api,
        limited=limited,
        concurrent_updates=concurrent_updates,
        one_write=one_write,
    )
    timed = TimedApplication(app)
    keep_going = _deadline(window)
    async with offline(app):
        api.calls.clear()
        gc.collect()
        gc.freeze()  # as for ours
        with counting_statuses() as counter:
            await asyncio.gather(*(_replay(timed, stream, keep_going) for stream in streams))
    phase = _phase(timed, api, window)
    phase.statuses = dict(Counter(name for name, _ in api.calls))
    phase.warnings = dict(counter.warnings)
    phase.concurrency = concurrent_updates_of(app)
    return phase


async def _replay(
    timed: TimedApplication, stream: list[JSONDict], keep_going: Callable[[], bool]
) -> None:
    for update in stream:
        if not keep_going():
            return
        await timed.process_update(Update.de_json(copy.deepcopy(update), timed.bot))
