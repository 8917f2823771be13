"""CSV exports of a period: cases, events and customers, streamed from one read snapshot.

Rows come from the database in batches (`AsyncConnection.stream` with `yield_per`) and go
straight to the file, so memory stays flat however long the log is. Files are UTF-8 with
a byte-order mark, which spreadsheets need to show Vietnamese text correctly. Times are
written in the reader's time zone (named in the column header) in a form spreadsheets
read as dates; event data is JSON. Text that a spreadsheet would run as a formula
(`=…`, `@…`) is prefixed with an apostrophe.

Which rows belong to a period [first, last]:
- cases that were open at some moment of it (opened before its end, not closed before
  its start);
- events recorded in it;
- customers of those cases, and customers registered in it.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Text, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from flows.reports import Period
from storage import tables
from storage.reading import read_snapshot

BATCH = 1000
ENCODING = "utf-8-sig"  # UTF-8 with a BOM: spreadsheets then read Vietnamese correctly
EXPORTS = ("cases", "events", "customers")

cases = tables.cases
events = tables.case_events
customers = tables.customers
owners = tables.staff.alias("owner")
actors = tables.staff.alias("actor")

Progress = Callable[[int], None]

_FORMULA = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s.,]*$)")
_RISKY = frozenset("=@\t\r+-")


@dataclass(frozen=True)
class Sheet:
    """One CSV file: its columns and the query that yields its rows in order."""

    name: str
    columns: tuple[str, ...]
    times: frozenset[str]  # columns holding moments, written in the reader's time zone
    texts: frozenset[str]  # columns holding text people typed
    query: Callable[[datetime, datetime], Select[Any]]

    def header(self, tz: ZoneInfo) -> list[str]:
        """Column names; time columns say which time zone they are in."""
        return [f"{c} ({tz.key})" if c in self.times else c for c in self.columns]

    def filename(self, period: Period) -> str:
        """Name the file after the sheet and the period."""
        return f"{self.name}_{period.first.isoformat()}_{period.last.isoformat()}.csv"

    def formatters(self, tz: ZoneInfo) -> list[Callable[[Any], str]]:
        """One formatting function per column, chosen once rather than per cell."""

        def moment(value: Any) -> str:
            if value is None:
                return ""
            return str(value.astimezone(tz).isoformat(" ", "seconds"))[:19]

        return [
            moment
            if c in self.times
            else text
            if c in self.texts
            else _json
            if c == "data"
            else plain
            for c in self.columns
        ]


def plain(value: Any) -> str:
    """Write a number, a date or a code."""
    return "" if value is None else str(value)


def text(value: Any) -> str:
    """Write typed text, defusing what a spreadsheet would run as a formula."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value[:1] in _RISKY and _FORMULA.match(value) else value


def _json(value: Any) -> str:
    """Write JSON as stored, with escaped letters (Vietnamese) turned back into letters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    elif "\\u" in value:
        value = json.dumps(json.loads(value), ensure_ascii=False)
    return text(value)


def _cases_in(start: datetime, end: datetime) -> Any:
    return and_(
        cases.c.opened_at < end, or_(cases.c.closed_at.is_(None), cases.c.closed_at >= start)
    )


def _cases_query(start: datetime, end: datetime) -> Select[Any]:
    return (
        select(
            cases.c.id,
            cases.c.kind,
            cases.c.state,
            cases.c.resolution,
            cases.c.owner_id,
            owners.c.name.label("owner_name"),
            cases.c.customer_id,
            cases.c.category,
            cases.c.severity,
            cases.c.summary,
            cases.c.compensation_type,
            cases.c.compensation_value,
            cases.c.reopen_count,
            cases.c.events_count,
            cases.c.opened_at,
            cases.c.closed_at,
            cases.c.follow_up_due_at,
            cases.c.overdue_since,
            cases.c.updated_at,
        )
        .select_from(cases.outerjoin(owners, owners.c.id == cases.c.owner_id))
        .where(_cases_in(start, end))
        .order_by(cases.c.id)
    )


def _events_query(start: datetime, end: datetime) -> Select[Any]:
    return (
        select(
            events.c.id,
            events.c.case_id,
            events.c.seq,
            events.c.at,
            events.c.actor_id,
            actors.c.name.label("actor_name"),
            events.c.step,
            events.c.kind,
            cast(events.c.data, Text).label("data"),  # as stored: decoded only when needed
        )
        .select_from(events.outerjoin(actors, actors.c.id == events.c.actor_id))
        .where(events.c.at >= start, events.c.at < end)
        .order_by(events.c.id)
    )


def _customers_query(start: datetime, end: datetime) -> Select[Any]:
    theirs = select(cases.c.customer_id).where(
        _cases_in(start, end), cases.c.customer_id.is_not(None)
    )
    return (
        select(
            customers.c.id,
            customers.c.name,
            customers.c.kind,
            customers.c.phone,
            customers.c.since,
            customers.c.yearly_value,
            customers.c.status,
            customers.c.at_risk_since,
            customers.c.at_risk_reason,
            customers.c.created_at,
        )
        .where(
            or_(
                customers.c.id.in_(theirs.scalar_subquery()),
                and_(customers.c.created_at >= start, customers.c.created_at < end),
            )
        )
        .order_by(customers.c.id)
    )


def _columns(query: Callable[[datetime, datetime], Select[Any]]) -> tuple[str, ...]:
    probe = query(datetime.min, datetime.max)
    return tuple(str(c.key) for c in probe.selected_columns)


SHEETS: dict[str, Sheet] = {
    sheet.name: sheet
    for sheet in (
        Sheet(
            "cases",
            _columns(_cases_query),
            times=frozenset(
                {"opened_at", "closed_at", "follow_up_due_at", "overdue_since", "updated_at"}
            ),
            texts=frozenset({"owner_name", "summary"}),
            query=_cases_query,
        ),
        Sheet(
            "events",
            _columns(_events_query),
            times=frozenset({"at"}),
            texts=frozenset({"actor_name"}),
            query=_events_query,
        ),
        Sheet(
            "customers",
            _columns(_customers_query),
            times=frozenset({"created_at"}),
            texts=frozenset({"name", "phone"}),
            query=_customers_query,
        ),
    )
}


async def count_rows(
    connection: AsyncConnection, sheet: Sheet, start: datetime, end: datetime
) -> int:
    """Count the rows a sheet will hold (for a progress bar)."""
    counted = select(func.count()).select_from(sheet.query(start, end).order_by(None).subquery())
    return int((await connection.execute(counted)).scalar_one())


async def write_sheet(
    connection: AsyncConnection,
    sheet: Sheet,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    out: TextIO,
    progress: Progress | None = None,
) -> int:
    """Stream a sheet's rows into `out` as CSV; return how many were written."""
    writer = csv.writer(out)
    writer.writerow(sheet.header(tz))
    formats = sheet.formatters(tz)
    written = 0
    result = await connection.stream(sheet.query(start, end).execution_options(yield_per=BATCH))
    async for batch in result.partitions(BATCH):
        writer.writerows([f(v) for f, v in zip(formats, row, strict=True)] for row in batch)
        written += len(batch)
        if progress is not None:
            progress(len(batch))
    return written


async def export_all(
    engine: AsyncEngine,
    first: date,
    last: date,
    tz: ZoneInfo,
    folder: Path,
    *,
    names: Sequence[str] = EXPORTS,
    progress: Progress | None = None,
    on_totals: Callable[[dict[str, int]], None] | None = None,
) -> dict[str, int]:
    """Write one CSV per sheet for the period into `folder`; return rows written per sheet.

    All sheets are read from one snapshot, so they agree with each other. `on_totals`
    hears the row counts before writing starts (to size a progress bar).
    """
    period = Period(first, last)
    start, end = period.bounds(tz)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    written: dict[str, int] = {}
    async with read_snapshot(engine) as connection:
        if on_totals is not None:
            on_totals(
                {name: await count_rows(connection, SHEETS[name], start, end) for name in names}
            )
        for name in names:
            sheet = SHEETS[name]
            with (folder / sheet.filename(period)).open("w", encoding=ENCODING, newline="") as out:
                written[name] = await write_sheet(connection, sheet, start, end, tz, out, progress)
    return written


def sheet_path(folder: Path, name: str, first: date, last: date) -> Path:
    """Where `export_all` writes a sheet."""
    return folder / SHEETS[name].filename(Period(first, last))
