"""Time the report's queries and the CSV export on a large made-up log (SQLite by default).

    python -m benchmarks.reports_bench --db /tmp/bench.sqlite3 --per-week 7800 --weeks 14

builds (once) a database of about a million events — everything in the last quarter, the
worst case for a quarter's report — then prints, for `/report quarter`, the best wall-clock
and process-CPU time of several runs, and the export's rows per second and peak memory.
`--weeks 104 --per-week 1000` spreads a similar log over two years instead.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from flows.reports import compute, parse_period
from flows.scripts import Scripts
from storage import tables
from storage.demo_data import seed
from storage.engine import create_engine
from storage.exports import Words, export_all
from storage.migrate import upgrade
from storage.reading import read_snapshot
from storage.reports import gather

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


async def build(url: str, per_week: int, weeks: int, customers: int) -> None:
    """Migrate and fill the database unless it already holds events."""
    engine = create_engine(url)
    await upgrade(engine)
    async with engine.connect() as connection:
        count = (await connection.execute(select(func.count(tables.case_events.c.id)))).scalar()
    if not count:
        started = time.perf_counter()
        async with engine.begin() as connection:
            done = await seed(
                connection,
                now=NOW,
                weeks=weeks,
                customers=customers,
                complaints_per_week=per_week,
            )
        print(f"seeded {done} in {time.perf_counter() - started:.0f} s")
    await engine.dispose()


async def time_report(url: str, runs: int) -> None:
    """Print the best of `runs` timings of the quarter's aggregates."""
    engine = create_engine(url)
    period = parse_period(["quarter"], NOW.astimezone(TZ).date())
    start, end = period.bounds(TZ)
    async with read_snapshot(engine) as connection:
        events = (await connection.execute(select(func.count(tables.case_events.c.id)))).scalar()
        in_quarter = (
            await connection.execute(
                select(func.count()).where(
                    tables.case_events.c.at >= start, tables.case_events.c.at < end
                )
            )
        ).scalar()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        async with read_snapshot(engine) as connection:
            rows = await gather(connection, start, end, period.week_bounds(TZ))
        figures = compute(period, rows)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    await engine.dispose()
    print(
        f"report quarter: {events:,} events in the log, {in_quarter:,} in the quarter, "
        f"{figures.opened:,} cases opened, {figures.satisfied.whole:,} complaints ended; "
        f"best of {runs}: wall {min(walls) * 1000:.0f} ms, cpu {min(cpus) * 1000:.0f} ms"
    )


async def time_export(url: str) -> None:
    """Print rows per second of a full export, and how much the process grew meanwhile."""
    engine = create_engine(url)
    first = date(2020, 1, 1)
    last = NOW.astimezone(TZ).date()
    with TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        words = Words(Scripts.load(), "en", "VND")
        written = await export_all(engine, first, last, TZ, Path(folder), words)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sizes = sum(p.stat().st_size for p in await asyncio.to_thread(_files, Path(folder)))
    await engine.dispose()
    rows = sum(written.values())
    print(
        f"export: {rows:,} rows ({written}) in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s, "
        f"{sizes / 1e6:.0f} MB of CSV; peak RSS {before / 1024:.0f} MB before, "
        f"{after / 1024:.0f} MB after"
    )


def _files(folder: Path) -> list[Path]:
    return list(folder.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="/tmp/reports-bench.sqlite3")
    parser.add_argument("--per-week", type=int, default=7800)
    parser.add_argument("--weeks", type=int, default=14)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    url = f"sqlite+aiosqlite:///{args.db}"
    asyncio.run(build(url, args.per_week, args.weeks, args.customers))
    asyncio.run(time_report(url, args.runs))
    if not args.no_export:
        asyncio.run(time_export(url))


if __name__ == "__main__":
    main()
