"""Figures measured in a fresh process each, so that nothing else in memory blurs them.

    python -m benchmarks.probe NAME [ARGS...]   prints one JSON object

`run_probe` (used by the harness) starts one and reads its answer. Memory is the
process's resident set from /proc (VmRSS), and its peak (VmHWM) after resetting it.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ProbeResult = dict[str, Any]
WARM = 5_000  # jobs or rows added before the baseline, so caches are warm on both sides


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def rss_mb() -> float:
    """The resident set size of this process now, after a full collection."""
    gc.collect()
    return _status_kb("VmRSS") / 1024


def peak_mb() -> float:
    """The highest resident set size since the last `reset_peak`."""
    return _status_kb("VmHWM") / 1024


def reset_peak() -> None:
    """Start counting the peak resident set size from now (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


# ------------------------------------------------------------------------- the probes


async def startup(db: str, now: str) -> ProbeResult:
    """Import, build the application, prepare it and plan one tick, on a full database."""
    started = time.perf_counter()
    app_module = importlib.import_module("bot.app")
    imported = time.perf_counter()
    from benchmarks.common import settings_for, sqlite_url
    from standin.inprocess import FakeBotApi
    from storage.uow import SqlUnitOfWork

    path, moment = Path(db), datetime.fromisoformat(now)
    settings = settings_for(sqlite_url(path.parent, path.name))
    began = time.perf_counter()
    app = app_module.build_application(settings, request=FakeBotApi(), clock=lambda: moment)
    async with app_module.offline(app) as services:
        reminders = settings.reminders
        async with SqlUnitOfWork(services.sessions) as uow:  # the tick's claim, rolled back
            lease = timedelta(seconds=reminders.lease_seconds)
            claimed = await uow.reminders.claim_due(moment, reminders.batch_size, lease)
        ready = time.perf_counter()
        rss = rss_mb()
    return {
        "import_s": imported - started,
        "startup_s": ready - began,
        "first_claim": len(claimed),
        "rss_mb": rss,
    }


async def jobqueue(jobs: int) -> ProbeResult:
    """RSS growth of holding `jobs` one-off jobs in PTB's JobQueue (APScheduler)."""
    from telegram.ext import ApplicationBuilder, CallbackContext

    from bot.app import OFFLINE_TOKEN
    from standin.inprocess import FakeBotApi

    async def remind(_context: CallbackContext[Any, Any, Any, Any]) -> None:
        """A reminder that never runs in the probe."""

    api = FakeBotApi()
    app = ApplicationBuilder().token(OFFLINE_TOKEN).request(api).get_updates_request(api).build()
    queue = app.job_queue
    if queue is None:
        return {"skipped": "PTB has no JobQueue: APScheduler is not installed"}
    async with app:
        await queue.start()

        def add(first: int, count: int) -> None:
            for i in range(first, first + count):
                queue.run_once(
                    remind,
                    when=timedelta(days=1, seconds=i),
                    data={"kind": "follow_up_due", "case": i, "target": f"2026-11-24T02:{i}"},
                    name=f"reminder-{i}",
                    chat_id=100_000 + i % 200,
                    user_id=100_000 + i % 200,
                )

        measured = await _growth(lambda: _sync(add, 0, WARM), lambda: _sync(add, WARM, jobs))
        held = len(queue.jobs())
        await queue.stop(wait=False)
    return {**measured, "held": held}


async def ours(directory: str, jobs: int) -> ProbeResult:
    """RSS growth of scheduling `jobs` pending reminders through our API, and holding them."""
    from benchmarks.common import MONDAY_9AM, build_app, settings_for, sqlite_url
    from bot.app import offline
    from flows.model import Reminder
    from standin.inprocess import FakeBotApi
    from storage.uow import SqlUnitOfWork

    settings = settings_for(sqlite_url(Path(directory), "ours-rss.sqlite3"))
    app = build_app(settings, FakeBotApi(), limited=True)
    async with offline(app) as services:

        async def add(first: int, count: int) -> None:
            for batch in range(first, first + count, 1000):
                async with SqlUnitOfWork(services.sessions) as uow:
                    for i in range(batch, min(batch + 1000, first + count)):
                        uow.reminders.add(
                            Reminder(
                                id=i + 1,  # with ids given, the ORM inserts in batches
                                kind="follow_up_due",
                                due_at=MONDAY_9AM + timedelta(days=1, seconds=i),
                                chat_id=100_000 + i % 200,
                                payload={"case": i, "target": f"2026-11-24T02:{i}"},
                                created_at=MONDAY_9AM,
                            )
                        )
                    await uow.commit()

        measured = await _growth(lambda: add(0, WARM), lambda: add(WARM, jobs))
        async with SqlUnitOfWork(services.sessions) as uow:
            held = await uow.reminders.pending_count()
    return {**measured, "held": held}


async def _sync(function: Callable[..., None], *args: Any) -> None:
    function(*args)


async def _growth(
    warm: Callable[[], Awaitable[None]], load: Callable[[], Awaitable[None]]
) -> ProbeResult:
    """Resident set growth of `load`, after `warm` has filled caches and first allocations."""
    await warm()
    before = rss_mb()
    reset_peak()
    started = time.perf_counter()
    await load()
    seconds = time.perf_counter() - started
    peak = peak_mb()
    after = rss_mb()
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "growth_mb": after - before,
        "peak_growth_mb": peak - before,
    }


async def export(db: str, first: str, last: str, folder: str) -> ProbeResult:
    """Rows per second and peak memory of one three-file export through `TARGETS.export`."""
    from datetime import date

    from benchmarks.common import sqlite_url
    from benchmarks.reports import TARGETS
    from storage.engine import create_engine

    path = Path(db)
    engine = create_engine(sqlite_url(path.parent, path.name))
    try:
        before = rss_mb()
        reset_peak()
        started = time.perf_counter()
        rows = await TARGETS.export(
            engine, date.fromisoformat(first), date.fromisoformat(last), Path(folder)
        )
        seconds = time.perf_counter() - started
        peak = peak_mb()
    finally:
        await engine.dispose()
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "rss_before_mb": before,
        "peak_growth_mb": peak - before,
        "peak_rss_mb": peak,
    }


async def walk_from(url: str, first_id: str, staff: str, cases: str, at: str) -> ProbeResult:
    """At wall-clock time `at`, `staff` people (ids from `first_id`) walk `cases` complaints
    each, 16 chats at once, on the database at `url` (one instance of several)."""
    from benchmarks.updates import run_ours

    await asyncio.sleep(max(float(at) - time.time(), 0))
    phase, _ = await run_ours(
        url,
        int(staff),
        int(cases),
        limited=False,
        first_id=int(first_id),
        first_update_id=int(first_id) * 1000,  # disjoint, as one bot's updates shared out
    )
    return {"updates": phase.updates, "seconds": phase.seconds, "statuses": phase.statuses}


PROBES: dict[str, Callable[..., Coroutine[Any, Any, ProbeResult]]] = {
    "walk": walk_from,
    "startup": startup,
    "jobqueue": lambda jobs: jobqueue(int(jobs)),
    "ours": lambda directory, jobs: ours(directory, int(jobs)),
    "export": export,
}


def start_probe(name: str, *args: object) -> subprocess.Popen[str]:
    """Start one probe in a fresh interpreter (from the project root); read it with
    `probe_answer`."""
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.probe", name, *map(str, args)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def probe_answer(started: subprocess.Popen[str], timeout: float = 900) -> ProbeResult:
    """Wait for a probe and return its answer."""
    out, err = started.communicate(timeout=timeout)
    if started.returncode != 0:
        raise RuntimeError(f"probe {started.args!r} failed:\n{err[-2000:]}")
    answer: ProbeResult = json.loads(out.strip().splitlines()[-1])
    return answer


def run_probe(name: str, *args: object, timeout: float = 900) -> ProbeResult:
    """Run one probe in a fresh interpreter and return its answer."""
    return probe_answer(start_probe(name, *args), timeout)


def main() -> None:
    """Run the probe named on the command line and print its answer as JSON."""
    name, *args = sys.argv[1:]
    print(json.dumps(asyncio.run(PROBES[name](*args))))


if __name__ == "__main__":
    main()
