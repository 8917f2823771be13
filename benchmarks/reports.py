"""Reports and exports over a large log: a quarter's aggregates, and a streaming CSV export.

The real report and export are being built elsewhere; until they land, `report_quarter` and
`export_events` below stand in for them. `TARGETS` is the one place to point at the real
functions: anything with the same signature can be swapped in.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import tables

cases = tables.cases
events = tables.case_events

ReportFunction = Callable[[AsyncEngine, datetime, datetime], Awaitable[dict[str, Any]]]
ExportFunction = Callable[[AsyncEngine, datetime, datetime, Path], Awaitable[int]]


async def report_quarter(engine: AsyncEngine, start: datetime, end: datetime) -> dict[str, Any]:
    """Cases opened in [start, end) by state, events by kind, and the median time to close."""
    async with engine.connect() as connection:
        opened = await connection.execute(
            select(cases.c.state, func.count())
            .where(and_(cases.c.opened_at >= start, cases.c.opened_at < end))
            .group_by(cases.c.state)
        )
        by_kind = await connection.execute(
            select(events.c.kind, func.count())
            .where(and_(events.c.at >= start, events.c.at < end))
            .group_by(events.c.kind)
        )
        closed = await connection.execute(
            select(cases.c.opened_at, cases.c.closed_at).where(
                and_(
                    cases.c.state == "closed", cases.c.closed_at >= start, cases.c.closed_at < end
                )
            )
        )
        hours = [(shut - began).total_seconds() / 3600 for began, shut in closed.tuples()]
    return {
        "opened_by_state": dict(opened.tuples().all()),
        "events_by_kind": dict(by_kind.tuples().all()),
        "closed": len(hours),
        "median_hours_to_close": statistics.median(hours) if hours else None,
    }


EXPORT_COLUMNS = ("id", "case_id", "seq", "at", "actor_id", "step", "kind", "data")


async def export_events(engine: AsyncEngine, start: datetime, end: datetime, out: Path) -> int:
    """Stream the events of [start, end) to a UTF-8 CSV with BOM; return the rows written."""
    columns = [events.c[name] for name in EXPORT_COLUMNS[:-1]]
    query = (
        select(*columns, type_coerce(events.c.data, String).label("data"))  # JSON text as is
        .where(and_(events.c.at >= start, events.c.at < end))
        .order_by(events.c.id)
        .execution_options(yield_per=2000)
    )
    written = 0
    with out.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(EXPORT_COLUMNS)
        async with engine.connect() as connection:
            result = await connection.stream(query)
            async for partition in result.partitions():
                writer.writerows(_csv_row(row) for row in partition)
                written += len(partition)
    return written


def _csv_row(row: Any) -> tuple[Any, ...]:
    event_id, case_id, seq, at, actor_id, step, kind, data = row
    return (event_id, case_id, seq, at.isoformat() if at else "", actor_id, step, kind, data)


@dataclass(frozen=True)
class Targets:
    """The report and export under measurement."""

    report: ReportFunction
    export: ExportFunction


#: Swap in the real report and export here when they land.
TARGETS = Targets(report=report_quarter, export=export_events)
