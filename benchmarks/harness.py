"""Run every benchmark at one size and gather the figures, each next to its baseline."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from benchmarks.common import MONDAY_9AM, machine, sqlite_url
from benchmarks.during_export import measure_during_export
from benchmarks.miniapp import measure_miniapp
from benchmarks.postgres import postgres_section
from benchmarks.probe import run_probe
from benchmarks.profiling import HANDOFFS, Profile, profile_updates
from benchmarks.reminders import measure_claims, measure_pacing, pending_count
from benchmarks.reports import TARGETS
from benchmarks.seed import seed_cases, seed_reminders
from benchmarks.sizes import Sizes
from benchmarks.updates import Phase, Window, run_floor, run_ours
from storage.engine import create_engine

Figures = dict[str, float]
Details = dict[str, Any]
STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE")
PER_100K = 100_000
REPORT_YEAR = 2026
QUARTER = (date(REPORT_YEAR, 4, 1), date(REPORT_YEAR, 6, 30))
YEAR = (date(REPORT_YEAR, 1, 1), date(REPORT_YEAR, 12, 31))  # every event inside: the worst
FIRST_TENTH = (YEAR[0], date(REPORT_YEAR, 2, 5))


def note(message: str) -> None:
    """Say what is being measured, on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def updates_section(sizes: Sizes, directory: Path) -> tuple[Figures, Details]:
    """Ours against the floor: as configured, with PTB's rate limiter, one update at a time."""
    runs = await _update_runs(sizes, directory)
    note("updates: where the handler time goes")
    profile = await profile_updates(directory / "profile", sizes.profile_cases)
    ours, floor = runs["ours"], runs["floor"]
    summary = {name: phase.summary() for name, phase in runs.items()}
    figures = {
        "updates_per_s": summary["ours"]["updates_per_s"],
        "floor_updates_per_s": summary["floor"]["updates_per_s"],
        "throughput_ratio": _ratio(ours, floor),
        "floor_one_write_updates_per_s": summary["floor_one_write"]["updates_per_s"],
        "throughput_ratio_vs_one_write": _ratio(ours, runs["floor_one_write"]),
        "p50_ms": summary["ours_at_pace"]["p50_ms"],
        "p99_ms": summary["ours_at_pace"]["p99_ms"],
        "saturated_p50_ms": summary["ours"]["p50_ms"],
        "saturated_p99_ms": summary["ours"]["p99_ms"],
        "rejected_updates": sum(n for k, n in ours.statuses.items() if k != "ok"),
        "api_calls_per_update": summary["ours"]["api_calls_per_update"],
        "paced_calls_per_update": summary["ours"]["paced_calls_per_update"],
        "floor_paced_calls_per_update": summary["floor"]["paced_calls_per_update"],
        "updates_per_s_rate_limited": summary["ours_rate_limited"]["updates_per_s"],
        "floor_updates_per_s_rate_limited": summary["floor_rate_limited"]["updates_per_s"],
        "throughput_ratio_rate_limited": _ratio(
            runs["ours_rate_limited"], runs["floor_rate_limited"]
        ),
        "serial_updates_per_s": summary["ours_serial"]["updates_per_s"],
        "serial_floor_updates_per_s": summary["floor_serial"]["updates_per_s"],
        "serial_throughput_ratio": _ratio(runs["ours_serial"], runs["floor_serial"]),
        "serial_p50_ms": summary["ours_serial"]["p50_ms"],
        "serial_p99_ms": summary["ours_serial"]["p99_ms"],
        **_profile_figures(profile),
    }
    return figures, {**summary, "profile": profile.summary()}


async def _update_runs(sizes: Sizes, directory: Path) -> dict[str, Phase]:
    """Each load phase of ours, and the floor fed the same updates in the same way."""
    note(f"updates: {sizes.staff} staff at a person's pace (mean pause {sizes.think_s} s)")
    at_pace, _ = await run_ours(
        sqlite_url(directory / "free", "at-pace"),
        sizes.staff,
        1,
        limited=False,
        think_s=sizes.think_s,
    )
    note(f"updates: {sizes.staff} staff x {sizes.cases} complaints, no rate limiter")
    free, floor, one_write = (
        sqlite_url(directory / "free", name) for name in ("bench.sqlite3", "floor", "one-write")
    )
    ours, streams = await run_ours(free, sizes.staff, sizes.cases, limited=False)
    runs = {
        "ours_at_pace": at_pace,
        "ours": ours,
        "floor": await run_floor(floor, streams, limited=False),
        "floor_one_write": await run_floor(one_write, streams, limited=False, one_write=True),
    }
    note(f"updates: {sizes.limited_staff} staff with the rate limiter, time-boxed")
    paced, window = directory / "paced", Window(sizes.limited_warmup_s, sizes.limited_window_s)
    runs["ours_rate_limited"], _ = await run_ours(
        sqlite_url(paced), sizes.limited_staff, sizes.cases, limited=True, window=window
    )
    runs["floor_rate_limited"] = await run_floor(
        sqlite_url(paced, "floor"), streams[: sizes.limited_staff], limited=True, window=window
    )
    note(f"updates: {sizes.serial_staff} staff, one update at a time (concurrent_updates=1)")
    serial = directory / "serial"
    runs["ours_serial"], serial_streams = await run_ours(
        sqlite_url(serial), sizes.serial_staff, sizes.cases, limited=False, concurrent_updates=1
    )
    runs["floor_serial"] = await run_floor(
        sqlite_url(serial, "floor"), serial_streams, limited=False, concurrent_updates=1
    )
    return runs


def _profile_figures(profile: Profile) -> Figures:
    statements = profile.statements_per_update
    return {
        "handler_ms_per_update_profiled": round(profile.ms_per_update, 2),
        "statements_per_update": round(sum(statements.get(v, 0.0) for v in STATEMENTS), 2),
        "transactions_per_update": statements.get("BEGIN", 0.0),
        "sqlite_handoffs_per_update": profile.operations.get(HANDOFFS, {}).get("calls", 0.0),
    }


async def reminders_section(sizes: Sizes, directory: Path) -> tuple[Figures, Details]:
    """Claiming from a large pending table, start-up over it, and a burst's pacing."""
    database = directory / "reminders.sqlite3"
    note(f"reminders: seeding {sizes.pending:,} pending, {sizes.due:,} due")
    started = time.perf_counter()
    await seed_reminders(database, sizes.pending, sizes.due, MONDAY_9AM)
    seeded = time.perf_counter() - started
    pending = await pending_count(database)
    note("reminders: start-up of a fresh process over them")
    startup = run_probe("startup", database, MONDAY_9AM.isoformat())
    note("reminders: claiming every due row, 1,000 at a time")
    claims = await measure_claims(database, MONDAY_9AM)
    note(f"reminders: a burst of {sizes.burst} due follow-ups, the scheduler's own loop")
    pacing = await measure_pacing(directory, sizes.burst)
    figures = {
        "pending_reminders": pending,
        "reminder_claim_ms_per_1000": round(claims.ms_per_1000, 2),
        "reminder_empty_claim_ms": round(claims.empty_claim_ms, 2),
        "startup_s_with_pending": round(startup["startup_s"], 3),
        "startup_rss_mb": round(startup["rss_mb"], 1),
        "pacing_sends_per_s": round(pacing.per_second_while_sending, 1),
        "pacing_max_sends_in_any_second": pacing.max_in_any_second,
        "pacing_burst_delivered_s": round(pacing.seconds_to_deliver_all, 1),
        "pacing_lost": pacing.due - pacing.sent,
        "pacing_doubled": pacing.doubled,
    }
    details = {
        "seed_s": round(seeded, 1),
        "claims": claims.summary(),
        "startup": {k: round(v, 3) for k, v in startup.items()},
        "pacing": pacing.summary(),
    }
    return figures, details


def memory_section(sizes: Sizes, directory: Path) -> tuple[Figures, Details]:
    """RSS growth of holding jobs in PTB's JobQueue against pending rows in our table."""
    scale = PER_100K / sizes.memory_jobs
    note(f"memory: {sizes.memory_jobs:,} jobs in PTB's JobQueue, in a fresh process")
    if importlib.util.find_spec("apscheduler") is None:
        jobqueue: Details = {
            "skipped": "APScheduler is not installed (python-telegram-bot[job-queue])"
        }
    else:
        jobqueue = run_probe("jobqueue", sizes.memory_jobs)
    note(f"memory: {sizes.memory_jobs:,} pending reminders through our API, in a fresh process")
    ours = run_probe("ours", directory, sizes.memory_jobs)
    ours_mb = max(ours["peak_growth_mb"], ours["growth_mb"]) * scale
    figures = {"our_rss_mb_100k": round(ours_mb, 2)}
    if "growth_mb" in jobqueue:
        queue_mb = jobqueue["growth_mb"] * scale
        figures["jobqueue_rss_mb_100k"] = round(queue_mb, 1)
        figures["jobqueue_over_ours"] = round(queue_mb / max(ours_mb, 0.01), 1)
    details = {
        "jobs": sizes.memory_jobs,
        "scale_to_100k": scale,
        "jobqueue": jobqueue,
        "ours": ours,
    }
    return figures, details


async def reports_section(sizes: Sizes, directory: Path) -> tuple[Figures, Details]:
    """The real report (a quarter, and a year: every event inside), the real three-file
    export at two sizes, and staff's latency while a supervisor's export of the year runs."""
    database = directory / "reports.sqlite3"
    note(f"reports: seeding {sizes.report_cases:,} cases, {sizes.report_events:,} events")
    started = time.perf_counter()
    events = await seed_cases(database, sizes.report_cases, sizes.report_events, REPORT_YEAR)
    seeded = time.perf_counter() - started
    note("reports: the report of a quarter, and of the whole year, three times each")
    engine = create_engine(sqlite_url(directory, database.name))
    try:
        report, report_s = await _median_of(3, lambda: TARGETS.report(engine, *QUARTER))
        worst, worst_s = await _median_of(3, lambda: TARGETS.report(engine, *YEAR))
    finally:
        await engine.dispose()
    note("reports: the three-file export of a tenth of the year and of all of it, fresh processes")
    small = _export(database, FIRST_TENTH, directory / "small")
    large = _export(database, YEAR, directory / "large")
    note("reports: the Mini App's first page and a 200-event timeline, over HTTP")
    miniapp, miniapp_details = await measure_miniapp(database, sizes.report_cases, REPORT_YEAR)
    note(f"reports: {sizes.export_staff} staff walking while a supervisor exports the year")
    during = await measure_during_export(
        directory, database, sizes.export_staff, sizes.export_calm_s, sizes.export_think_s, YEAR
    )
    figures = {
        "events": events,
        "report_s": round(report_s, 3),
        "report_worst_s": round(worst_s, 3),
        "export_rows_per_s": round(large["rows_per_s"]),
        "export_peak_rss_mb": round(large["peak_growth_mb"], 1),
        "export_peak_rss_mb_small": round(small["peak_growth_mb"], 1),
        "export_rows_small": small["rows"],
        "export_rows": large["rows"],
        "p99_ms_without_export": during["calm"]["p99_ms"],
        "p99_ms_during_export": during["during"]["p99_ms"],
        "p99_ms_added_by_export": round(
            during["during"]["p99_ms"] - during["calm"]["p99_ms"], 2
        ),
        **miniapp,
    }
    details = {
        "seed_s": round(seeded, 1),
        "report_quarter": report,
        "report_year": worst,
        "export_small": small,
        "export_large": large,
        "during_export": during,
        "miniapp": miniapp_details,
    }
    return figures, details


def _export(database: Path, period: tuple[date, date], folder: Path) -> Details:
    first, last = (day.isoformat() for day in period)
    measured = run_probe("export", database, first, last, folder)
    size = sum(path.stat().st_size for path in folder.iterdir())
    return {**measured, "csv_mb": round(size / 1024 / 1024, 1)}


async def _median_of(
    times: int, measure: Callable[[], Awaitable[Details]]
) -> tuple[Details, float]:
    durations, result = [], {}
    for _ in range(times):
        started = time.perf_counter()
        result = await measure()
        durations.append(time.perf_counter() - started)
    return result, statistics.median(durations)


def _ratio(ours: Phase, floor: Phase) -> float:
    return round(ours.per_second / floor.per_second, 3) if floor.per_second else 0.0


async def postgres_figures(sizes: Sizes, _directory: Path) -> tuple[Figures, Details]:
    """The walk on PostgreSQL, one instance and two (skipped without a server)."""
    note(f"postgres: {sizes.pg_staff} staff, one instance, its floor, then two instances")
    return await postgres_section(os.environ.get("TEST_POSTGRES_URL"), sizes.pg_staff, sizes.cases)


def run_all(sizes: Sizes) -> dict[str, Any]:
    """Run every section at `sizes`; return the figures, the details, the machine and date."""
    started = time.perf_counter()
    figures: Figures = {}
    details: Details = {}
    with TemporaryDirectory(prefix="cs-bench-") as tmp:
        root = Path(tmp)
        for name in ("free", "paced", "serial", "profile"):
            (root / name).mkdir()
        for name, section in (
            ("updates", lambda: asyncio.run(updates_section(sizes, root))),
            ("reminders", lambda: asyncio.run(reminders_section(sizes, root))),
            ("memory", lambda: memory_section(sizes, root)),
            ("reports", lambda: asyncio.run(reports_section(sizes, root))),
            ("postgres", lambda: asyncio.run(postgres_figures(sizes, root))),
        ):
            section_figures, section_details = section()
            figures.update(section_figures)
            details[name] = section_details
    return {
        **figures,
        "mode": sizes.name,
        "machine": machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_s": round(time.perf_counter() - started, 1),
        "details": details,
    }
