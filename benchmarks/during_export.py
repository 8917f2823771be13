"""Staff's latency while a supervisor's export of a million rows is being worked out.

The same people walk complaints on the large log at a person's pace (a random pause before
each update, so the bot is not saturated and the latency is the bot's, not a queue's), first
for a while with nothing else running, then from the moment a supervisor sends
`/export FIRST LAST` until the export's files have gone out (`bot.heavy` works it out off
the staff's lane). Latency is from handing the update over to its answer being done (the
wait for a turn included: that is where work hogging the event loop shows). Each phase's
p99 is taken over the updates that finished inside it; the difference is the export's.
"""

from __future__ import annotations

import asyncio
import gc
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.common import (
    FIRST_STAFF_ID,
    TimedApplication,
    build_app,
    counting_statuses,
    percentile,
    register_staff,
    settings_for,
    sqlite_url,
)
from benchmarks.updates import thinking
from benchmarks.walk import walk_cases
from bot.app import offline
from standin.inprocess import FakeBotApi, Person

Details = dict[str, Any]
ENOUGH_CASES = 10_000  # walks stop at the phase's end, long before this
WARM_S = 1.0


async def measure_during_export(
    directory: Path,
    database: Path,
    staff: int,
    calm_s: float,
    think_s: float,
    period: tuple[date, date],
) -> dict[str, Any]:
    """Walk `staff` people (a random pause of mean `think_s` before each update) for
    `calm_s` seconds, then while the period's export runs."""
    api = FakeBotApi()
    app = build_app(settings_for(sqlite_url(directory, database.name)), api, limited=False)
    async with offline(app):
        ids = await register_staff(app, staff)
        [boss] = await register_staff(app, 1, "supervisor", first=FIRST_STAFF_ID + staff)
        timed = TimedApplication(app)
        people = [Person(timed, api, i, f"Staff {i}", "en") for i in ids]  # type: ignore[arg-type]
        supervisor = Person(timed, api, boss, "Boss", "en")  # type: ignore[arg-type]
        gc.collect()
        gc.freeze()  # as the transports do once started (bot/transport.py)
        with counting_statuses() as counter:
            warm_until = time.perf_counter() + WARM_S  # compiled statements, caches
            await _walk(people, think_s, lambda: time.perf_counter() < warm_until)
            calm_from = time.perf_counter()
            calm_until = calm_from + calm_s
            await _walk(people, think_s, lambda: time.perf_counter() < calm_until)
            calm_to = time.perf_counter()
            heavy = app.bot_data.heavy
            export_from = time.perf_counter()
            await supervisor.send(f"/export {period[0].isoformat()} {period[1].isoformat()}")
            exporting = asyncio.create_task(heavy.wait())
            await _walk(people, think_s, lambda: not exporting.done())
            export_to = time.perf_counter()
    return {
        "staff": staff,
        "calm": _latencies(timed.spans, calm_from, calm_to),
        "during": _latencies(timed.spans, export_from, export_to),
        "export_s": round(export_to - export_from, 2),
        "statuses": dict(counter.statuses),
        "sent_to_supervisor": [m.plain_text[:80] for m in api.messages(boss)][-4:],
    }


async def _walk(people: list[Person], think_s: float, keep_going: Any) -> None:
    await asyncio.gather(
        *(walk_cases(p, ENOUGH_CASES, keep_going, thinking(think_s, p)) for p in people)
    )


def _latencies(spans: list[tuple[float, float, float]], start: float, end: float) -> Details:
    inside = [(done - queued) * 1000 for queued, _, done in spans if start <= done < end]
    return {
        "updates": len(inside),
        "p50_ms": round(percentile(inside, 50), 2),
        "p99_ms": round(percentile(inside, 99), 2),
    }
