"""CSV exports of a period: cases, events and customers, streamed from one read snapshot.

Rows come from the database in batches (`AsyncConnection.stream` with `yield_per`) and go
straight to the file, so memory stays flat however long the log is. Files are UTF-8 with
a byte-order mark, which spreadsheets need to show Vietnamese text correctly.

Every column of every sheet is classified in one place (`SHEETS`; a sheet whose query
selects a column without a class does not load). The class says how it is written: times
in the reader's time zone (named in the header) in a form spreadsheets read as dates;
money in whole units, in the currency its row names as it was recorded (`Kind.CURRENCY`);
the bot's codes (kinds, states, options) as their wording in the reader's language; event
data as JSON; and any text people typed that a spreadsheet would run as a formula (`=…`,
`@…`, `+`/`-` before more than a number, full-width `＝…` too, or after spaces) defused
with an apostrophe. Sheet,
file and column names are in the reader's language too.

Which rows belong to a period [first, last]:
- cases that were open at some moment of it (opened before its end, not closed before
  its start);
- events recorded in it;
- customers of those cases, and customers registered in it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Select,
    String,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from flows.model import FILE_KINDS
from flows.periods import Period
from flows.privacy import forgotten_number
from flows.procedures import PROCEDURES, VERDICTS_BY_SUBJECT
from flows.procedures.complaint import ENDED_EARLY
from flows.scripts import Scripts, plain
from storage import tables
from storage.reading import read_snapshot

BATCH = 500  # rows read and written at a time: a few milliseconds of the event loop
ENCODING = "utf-8-sig"  # UTF-8 with a BOM: spreadsheets then read Vietnamese correctly
EXPORTS = ("cases", "events", "customers")

cases = tables.cases
events = tables.case_events
customers = tables.customers
owners = tables.staff.alias("owner")
actors = tables.staff.alias("actor")

Progress = Callable[[int], None]
Format = Callable[[Any], str]

#: What makes a spreadsheet run a cell as a formula: = @ + - (a sign before a number is a
#: number: "-5", "+84 903 123 456"), also written full-width as some locales' keyboards type
#: them, and also after spaces (any, a no-break space too, which spreadsheets skip); and a
#: cell that begins with a tab or a line break, which they strip.
_FORMULA = re.compile(r"^[\t\r\n]|^\s*(?:[=@＝＠]|[+\-＋－](?![\d\s.,]*$))")
_RISKY = frozenset("=@+-＝＠＋－")  # or whitespace: the only first characters worth a look


class Kind(Enum):
    """What a column holds, which says how it is written and how its header reads."""

    ID = "id"  # a number that names a row: written as it is
    COUNT = "count"  # a whole number
    MONEY = "money"  # whole units of the currency its row names (`CURRENCY`)
    CURRENCY = "currency"  # of the row's amounts, as recorded (none kept: the one set)
    MOMENT = "moment"  # a time, written in the reader's time zone, named in the header
    DAY = "day"  # a calendar date, ISO (every spreadsheet reads it as a date)
    TEXT = "text"  # typed by people: defused if a spreadsheet would run it as a formula
    NAME = "name"  # a customer's name: text, but one forgotten named in the reader's words
    CODE = "code"  # a code of the bot's: written as its wording in the reader's language
    JSON = "json"  # event data, as stored, with letters as letters


@dataclass(frozen=True)
class Column:
    """One column: its kind and, for a code, where its wording is (`step.{}.title`)."""

    kind: Kind
    wording: str = ""


ID, COUNT, MONEY, NAME, CURRENCY = (
    Column(Kind.ID),
    Column(Kind.COUNT),
    Column(Kind.MONEY),
    Column(Kind.NAME),
    Column(Kind.CURRENCY),
)
MOMENT, DAY, TEXT, JSON = (
    Column(Kind.MOMENT),
    Column(Kind.DAY),
    Column(Kind.TEXT),
    Column(Kind.JSON),
)
STATE = Column(Kind.CODE, "step.{}.title")
OPTION = Column(Kind.CODE, "option.{}")


class Words:
    """The reader's words for a file: sheet names, column names and the bot's codes."""

    def __init__(self, scripts: Scripts, locale: str, currency: str) -> None:
        self.scripts = scripts
        self.locale = locale
        self.currency = currency

    def __call__(self, key: str) -> str:
        """Look up wording by key, as plain text (the scripts may hold HTML)."""
        return plain(self.scripts.get(self.locale, key))

    def zone(self, tz: ZoneInfo) -> str:
        """Name a time zone in the reader's words (`Scripts.zone`)."""
        return plain(self.scripts.zone(self.locale, tz.key))

    def code(self, wording: str, value: str) -> str:
        """Name a code in words; one without wording (a company's own) stays as it is."""
        key = wording.format(value)
        return self(key) if self.scripts.has(self.locale, key) else value

    def customer(self, name: str) -> str:
        """Name a customer as the chat does (`RenderBase.customer_name`): as recorded, or
        one forgotten at their request ("forgotten #123") in the reader's words."""
        number = forgotten_number(name)
        if number is None:
            return name
        return plain(self.scripts.get(self.locale, "customer.forgotten_name", number=number))


@dataclass(frozen=True)
class Sheet:
    """One CSV file: every column the query selects, classified, and the query."""

    name: str
    columns: dict[str, Column]
    query: Callable[[datetime, datetime], Select[Any]]

    def __post_init__(self) -> None:
        selected = _columns(self.query)
        if selected != tuple(self.columns):
            raise TypeError(
                f"{self.name}: classify every column the query selects, in its order: "
                f"selected {selected}, classified {tuple(self.columns)}"
            )

    def header(self, tz: ZoneInfo, words: Words) -> list[str]:
        """Column names in the reader's language; times name their zone (money's currency is
        each row's own: a column beside it)."""
        unit = {Kind.MOMENT: f" ({words.zone(tz)})"}
        return [
            words(f"export.{self.name}.{name}") + unit.get(column.kind, "")
            for name, column in self.columns.items()
        ]

    def filename(self, period: Period, words: Words) -> str:
        """Name the file after the sheet, in the reader's language, and the period."""
        stem = words(f"export.file.{self.name}")
        return f"{stem}_{period.first.isoformat()}_{period.last.isoformat()}.csv"

    def formatters(self, tz: ZoneInfo, words: Words) -> list[Format | None]:
        """One formatting function per column, chosen once rather than per cell; None for a
        column written as it is (numbers and days: the CSV writer writes them, None empty)."""

        hours: dict[str, str | None] = {}  # per stored UTC hour: the local hour, if plain

        def moment(value: Any) -> str:
            if value is None:
                return ""
            if isinstance(value, str):  # SQLite's stored text: naive UTC (see `raw_query`)
                hour = value[:13]
                if hour not in hours:
                    hours[hour] = _local(hour, tz)
                local = hours[hour]
                if local is not None:  # minutes and seconds are the same in both
                    return local + value[13:19]
                value = datetime.fromisoformat(value).replace(tzinfo=UTC)
            return str(value.astimezone(tz).isoformat(" ", "seconds"))[:19]

        def code(wording: str) -> Format:
            named: dict[Any, str] = {None: ""}  # a handful of codes, looked up once each

            def name(value: Any) -> str:
                found = named.get(value)
                if found is None:
                    found = named[value] = text(words.code(wording, str(value)))
                return found

            return name

        def name(value: Any) -> str:
            return text(None if value is None else words.customer(str(value)))

        def currency(value: Any) -> str:
            return str(value or words.currency)

        by_kind: dict[Kind, Format] = {
            Kind.CURRENCY: currency,
            Kind.MOMENT: moment,
            Kind.TEXT: text,
            Kind.NAME: name,
            Kind.JSON: _json,
        }
        return [
            code(c.wording) if c.kind is Kind.CODE else by_kind.get(c.kind)
            for c in self.columns.values()
        ]

    def raw_query(self, start: datetime, end: datetime) -> Select[Any]:
        """The query, with times as the database hands them over (no per-row conversion:
        `formatters` reads SQLite's text and PostgreSQL's datetimes alike)."""
        query = self.query(start, end)
        return query.with_only_columns(
            *(
                type_coerce(column, String).label(column.key)
                if self.columns[str(column.key)].kind is Kind.MOMENT
                else column
                for column in query.selected_columns
            )
        )


def _local(utc_hour: str, tz: ZoneInfo) -> str | None:
    """The local 'YYYY-MM-DD HH' of a stored UTC hour ('YYYY-MM-DD HH'), where the zone is a
    whole number of hours from UTC throughout it; None where it is not (half-hour zones,
    the hour summer time begins or ends): each time is then converted on its own."""
    start = datetime.fromisoformat(f"{utc_hour}:00")
    offset = _steady_offset(start, tz)
    if offset is None or offset % timedelta(hours=1):
        return None
    return (start + offset).isoformat(" ")[:13]


def _steady_offset(naive_utc: datetime, tz: ZoneInfo) -> timedelta | None:
    """The zone's offset from UTC throughout the hour of `naive_utc`; None if it changes."""
    start = naive_utc.replace(minute=0, second=0, microsecond=0, tzinfo=UTC)
    first = start.astimezone(tz).utcoffset()
    last = (start + timedelta(hours=1, microseconds=-1)).astimezone(tz).utcoffset()
    return first if first == last else None


def text(value: Any) -> str:
    """Write typed text, defusing what a spreadsheet would run as a formula."""
    if value is None:
        return ""
    value = str(value)
    first = value[:1]
    risky = first in _RISKY or first.isspace()
    return "'" + value if risky and _FORMULA.match(value) else value


def _json(value: Any) -> str:
    """Write JSON as stored, with escaped letters (Vietnamese) turned back into letters;
    characters that show nothing or reorder what is around them (a file name's right-to-left
    override, kept before names were cleaned) stay escaped, as `\\u202e`."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    elif "\\u" in value:
        value = json.dumps(json.loads(value), ensure_ascii=False)
    if not value.isprintable():  # rarely: only what shows nothing is not (spaces were typed)
        value = _hidden().sub(lambda m: json.dumps(m.group())[1:-1], value)
    return text(value)


@cache
def _hidden() -> re.Pattern[str]:
    """Control and format characters, and line and paragraph separators (only inside a
    JSON string can they be), but the joiners that emoji and scripts need."""
    kinds = {"Cc", "Cf", "Zl", "Zp"}
    runs: list[list[int]] = []  # [first, last] code points: a class of ranges reads fast
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.category(ch) in kinds and ch not in "\u200c\u200d":
            if runs and runs[-1][1] == code - 1:
                runs[-1][1] = code
            else:
                runs.append([code, code])
    ranges = (f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in runs)
    return re.compile("[" + "".join(ranges) + "]")


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
            cases.c.compensation_total,
            cases.c.currency,
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


def _subjects_by_step() -> dict[str, str]:
    """What a decision taken at each step decides (a step names one thing in every procedure)."""
    subjects: dict[str, str] = {}
    for procedure in PROCEDURES.values():
        for step, subject in procedure.subjects.items():
            if subjects.setdefault(str(step), subject) != subject:
                raise TypeError(f"step {step} decides two things: name verdicts by case kind")
    return subjects


def _event_kind() -> Any:
    """The event's kind as the timeline names it (`bot.render.lists.event_key`): a verdict by
    what it decided (`decision.approved_compensation`), a file attached by its kind
    (`evidence_photo`: with the event's time, what names a file that has no name of its
    own), a case ended early (not as a mistake) as such (`ended_early`), every other kind as
    it is."""
    verdicts = [
        (and_(events.c.step == step, events.c.kind == verdict), f"decision.{verdict}_{subject}")
        for step, subject in _subjects_by_step().items()
        for verdict in VERDICTS_BY_SUBJECT[subject]
    ]
    verdicts += [
        (
            and_(events.c.kind == "evidence", events.c.data["kind"].as_string() == kind),
            f"evidence_{kind}",
        )
        for kind in FILE_KINDS
    ]
    early = and_(events.c.kind == "cancel", events.c.data[ENDED_EARLY].as_boolean())
    verdicts.append((early, ENDED_EARLY))
    named = [(condition, literal(label)) for condition, label in verdicts]
    return case(*named, else_=events.c.kind).label("kind")


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
            _event_kind(),
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
            customers.c.title,
            customers.c.given_name,
            customers.c.phone,
            customers.c.since,
            customers.c.since_precision,
            customers.c.yearly_value,
            customers.c.currency,
            customers.c.status,
            customers.c.at_risk_since,
            customers.c.at_risk_reason,
            customers.c.at_risk_case_id,
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


#: Every column of every sheet, classified: the one place that says how each is written.
SHEETS: dict[str, Sheet] = {
    sheet.name: sheet
    for sheet in (
        Sheet(
            "cases",
            {
                "id": ID,
                "kind": Column(Kind.CODE, "case_kind.{}"),
                "state": STATE,
                "resolution": Column(Kind.CODE, "resolution.{}"),
                "owner_id": ID,
                "owner_name": TEXT,
                "customer_id": ID,
                "category": OPTION,
                "severity": OPTION,
                "summary": TEXT,
                "compensation_type": OPTION,
                "compensation_value": MONEY,
                "compensation_total": MONEY,
                "currency": CURRENCY,
                "reopen_count": COUNT,
                "events_count": COUNT,
                "opened_at": MOMENT,
                "closed_at": MOMENT,
                "follow_up_due_at": MOMENT,
                "overdue_since": MOMENT,
                "updated_at": MOMENT,
            },
            _cases_query,
        ),
        Sheet(
            "events",
            {
                "id": ID,
                "case_id": ID,
                "seq": COUNT,
                "at": MOMENT,
                "actor_id": ID,
                "actor_name": TEXT,
                "step": STATE,
                "kind": Column(Kind.CODE, "event.{}"),
                "data": JSON,
            },
            _events_query,
        ),
        Sheet(
            "customers",
            {
                "id": ID,
                "name": NAME,
                "kind": OPTION,
                "title": OPTION,
                "given_name": TEXT,
                "phone": TEXT,
                "since": DAY,  # the first day of the year or month if only that was said…
                "since_precision": Column(Kind.CODE, "export.given_as.{}"),  # …as this says
                "yearly_value": MONEY,
                "currency": CURRENCY,
                "status": Column(Kind.CODE, "customer.status.{}"),
                "at_risk_since": MOMENT,
                "at_risk_reason": TEXT,
                "at_risk_case_id": ID,
                "created_at": MOMENT,
            },
            _customers_query,
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
    words: Words,
    out: TextIO,
    progress: Progress | None = None,
) -> int:
    """Stream a sheet's rows into `out` as CSV; return how many were written."""
    csv.writer(out).writerow(sheet.header(tz, words))
    buffer = io.StringIO()  # a batch is written to the file at once, not row by row
    writer = csv.writer(buffer)
    convert = _converter(sheet.formatters(tz, words))
    written = 0
    result = await connection.stream(
        sheet.raw_query(start, end).execution_options(yield_per=BATCH)
    )
    # The next batch is read (on the reading connection's thread) while this one is written.
    coming = asyncio.ensure_future(result.fetchmany(BATCH))
    while batch := await coming:
        coming = asyncio.ensure_future(result.fetchmany(BATCH))
        writer.writerows(map(convert, batch))
        out.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
        written += len(batch)
        if progress is not None:
            progress(len(batch))
    return written


def _converter(formats: Sequence[Format | None]) -> Callable[[Sequence[Any]], list[Any]]:
    """Turn a row into CSV cells, calling only the formats of the columns that have one."""
    work = [(i, f) for i, f in enumerate(formats) if f is not None]

    def convert(row: Sequence[Any]) -> list[Any]:
        cells = list(row)
        for i, f in work:
            cells[i] = f(cells[i])
        return cells

    return convert


async def export_all(
    engine: AsyncEngine,
    first: date,
    last: date,
    tz: ZoneInfo,
    folder: Path,
    words: Words,
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
            path = folder / sheet.filename(period, words)
            with path.open("w", encoding=ENCODING, newline="") as out:
                written[name] = await write_sheet(
                    connection, sheet, start, end, tz, words, out, progress
                )
    return written


def sheet_path(folder: Path, name: str, first: date, last: date, words: Words) -> Path:
    """Where `export_all` writes a sheet."""
    return folder / SHEETS[name].filename(Period(first, last), words)
