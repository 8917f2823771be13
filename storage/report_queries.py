"""The report's aggregate queries: each returns a handful of rows, whatever the log's size
(but the offers of the period's reopened complaints, one row each).

Every query filters on a time range and groups in the database; `flows/reports.py` turns
the rows into figures. The statements run the same on SQLite and PostgreSQL except the
minutes between two times (one expression per dialect) and SQLite's unary plus on the
columns it must not pick an index for (`_unindexed`). Each one is answered from an index
of `storage/tables.py` (REPORT_INDEXES, and CASE_LOG_INDEXES' overdue one). Step
compliance is read from the marks each complaint keeps (`cases.step_marks`), not from its
events: the year's 440,000 step events cost the report 0.2 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    distinct,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from flows.model import ALL_FIVE_IN_ORDER, FIVE_STEP_EVENTS, step_bit
from flows.procedures.check_in import HEARD
from flows.procedures.complaint import given_by_type
from flows.reports import EXIT_OUTCOMES, REVIEW_OUTCOMES, ReportRows
from storage import tables
from storage.repositories import made, not_mistaken

cases = tables.cases
events = tables.case_events
customers = tables.customers

COMPLAINT = "complaint"
PROBLEM_REVIEW = "problem_review"
EXIT_INTERVIEW = "exit_interview"
CHECK_IN = "check_in"
ENDED_STATES = ("closed", "cancelled")
SATISFIED_STATE = "closed"
TERMINATED = REVIEW_OUTCOMES["concluded"]  # how a review that let the customer go ended
#: The concluding events that lose a customer, with the kind of case they end: a
#: defection (the customer chose to leave) or a termination (the company let them go).
DEFECTING_EVENTS = {"defected": EXIT_INTERVIEW}
LOSING_EVENTS = {"concluded": PROBLEM_REVIEW, **DEFECTING_EVENTS}
#: The concluding event that wins a lost customer back, with the kind of case it ends.
WINNING_EVENTS = {"won_back": EXIT_INTERVIEW}
STATUS_EVENTS = {**LOSING_EVENTS, **WINNING_EVENTS}


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _minutes_between(connection: AsyncConnection, start: Any, end: Any) -> ColumnElement[Any]:
    """Whole minutes from start to end, as PostgreSQL counts them on both engines.

    SQLite's `julianday()` is a float of days: times it 1440 and a whole number of minutes
    can come out a hair below, a minute short. Rounded to milliseconds first, it is exact.
    """
    if connection.dialect.name == "sqlite":
        millis = cast(
            func.round((func.julianday(end) - func.julianday(start)) * 86_400_000), Integer
        )
        return cast(millis // 60_000, Integer)
    return cast(func.floor(func.extract("epoch", end - start) / 60), Integer)


async def _per_week(
    connection: AsyncConnection, column: Any, edges: Sequence[datetime]
) -> list[int]:
    """Count cases whose `column` falls in each [edge, next edge), but those cancelled as a
    mistake (no work done): one index range each (the index covers `resolution`)."""
    counts = [
        select(func.count()).where(_in(column, a, b), not_mistaken()).scalar_subquery()
        for a, b in pairwise(edges)
    ]
    row = (await connection.execute(select(*counts))).one()
    return [int(n) for n in row]


def _unindexed(connection: AsyncConnection, column: Any) -> ColumnElement[Any]:
    """`column` behind SQLite's unary plus, a no-op that no index can answer; else as it is.

    Without statistics (no ANALYZE) SQLite prefers an index on an equality to one on a range:
    `kind = 'complaint'` (nearly every case) or `state IN (…)` would read the cases through
    `ix_cases_kind_opened` or `ix_cases_state_opened` instead of the range of the index that
    covers the query.
    """
    if connection.dialect.name == "sqlite":
        return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)
    return column


def _ended_complaints(
    connection: AsyncConnection, start: datetime, end: datetime
) -> ColumnElement[bool]:
    return and_(
        _in(cases.c.closed_at, start, end),
        _unindexed(connection, cases.c.kind) == COMPLAINT,
        _unindexed(connection, cases.c.state).in_(ENDED_STATES),
    )


async def gather(
    connection: AsyncConnection,
    start: datetime,
    end: datetime,
    week_bounds: Sequence[datetime],
) -> ReportRows:
    """Run every aggregate of the report for the UTC range [start, end)."""
    edges = [start, *week_bounds, end]
    rows = ReportRows(
        opened_per_week=await _per_week(connection, cases.c.opened_at, edges),
        closed_per_week=await _per_week(connection, cases.c.closed_at, edges),
    )
    await _ended(connection, rows, start, end)
    await _overdue(connection, rows, start, end)
    await _reviews_and_exits(connection, rows, start, end)
    await _customers_lost(connection, rows, start, end)
    return rows


async def _ended(
    connection: AsyncConnection, rows: ReportRows, start: datetime, end: datetime
) -> None:
    """Figures about complaints that ended in the period, from one covering index."""
    ended = _ended_complaints(connection, start, end)
    minutes = _minutes_between(connection, cases.c.opened_at, cases.c.closed_at).label("m")
    result = await connection.execute(
        select(minutes, func.count())
        .where(ended, _unindexed(connection, cases.c.state) == SATISFIED_STATE)
        .group_by(minutes)
    )
    rows.resolution_minutes = [(int(m), int(n)) for m, n in result.tuples()]

    # A complaint never reopened gave at most one offer, the one its columns hold (a
    # withdrawn or declined offer leaves no type); a reopened one is read from the offers
    # it kept (`cases.compensation_given`), one row per reopened complaint.
    #
    # Step compliance comes from the marks each complaint keeps as its log grows
    # (`flows.model.marked`): a step is recorded when its bit is set, and all five were
    # recorded in order when the marks are exactly those five bits.
    #
    # A complaint cancelled as a mistake is none the customer made (`made`): it counts in
    # none of the figures of complaints, only in what was given on it.
    once = cases.c.reopen_count == 0
    marks = cases.c.step_marks
    complaints = and_(*made())
    result = await connection.execute(
        select(
            cases.c.currency,
            cases.c.compensation_type,
            func.count().filter(complaints),
            func.count().filter(complaints, cases.c.state == SATISFIED_STATE),
            func.count().filter(complaints, cases.c.reopen_count > 0),
            func.count(),
            func.count().filter(once),
            func.coalesce(func.sum(cases.c.compensation_total).filter(once), 0),
            func.count().filter(complaints, marks == ALL_FIVE_IN_ORDER),
            *[
                func.count().filter(complaints, marks.op("&")(step_bit(kind)) != 0)
                for kind in FIVE_STEP_EVENTS
            ],
        )
        .where(ended)
        .group_by(cases.c.currency, cases.c.compensation_type)
    )
    given: dict[tuple[str | None, str], tuple[int, int]] = {}  # -> (complaints, value)
    steps = dict.fromkeys(FIVE_STEP_EVENTS, 0)
    reopened_any = 0  # mistakes included: what they gave is read all the same
    for (
        currency,
        kind,
        count,
        satisfied,
        reopened,
        every,
        count_once,
        value,
        in_order,
        *each,
    ) in result.tuples():
        reopened_any += int(every) - int(count_once)
        rows.ended += int(count)
        rows.satisfied += int(satisfied)
        rows.reopened += int(reopened)
        rows.in_order += int(in_order)
        for step, recorded in zip(FIVE_STEP_EVENTS, each, strict=True):
            steps[step] += int(recorded)
        if kind is not None and count_once:
            given[(currency, str(kind))] = (int(count_once), int(value))
    rows.steps_recorded = steps
    for currency, totals in await _reopened_offers(connection, ended) if reopened_any else []:
        for kind, value in totals.items():
            n, total = given.get((currency, kind), (0, 0))
            given[(currency, kind)] = (n + 1, total + value)
    given.update(await _goodwill(connection, start, end))
    rows.compensation = [
        (currency, kind, n, total)
        for (currency, kind), (n, total) in sorted(given.items(), key=_by_currency_then_type)
    ]


async def _goodwill(
    connection: AsyncConnection, start: datetime, end: datetime
) -> dict[tuple[str | None, str], tuple[int, int]]:
    """The goodwill given at the goodbyes of the period, currency by currency and type by
    type: problem reviews that
    ended the relationship in it, each with the one gesture its conversation gave (kept as a
    complaint keeps its offers), from the same index as the complaints that ended."""
    currency, kind = cases.c.currency, cases.c.compensation_type
    result = await connection.execute(
        select(currency, kind, func.count(), func.sum(cases.c.compensation_total))
        .where(
            _in(cases.c.closed_at, start, end),
            _unindexed(connection, cases.c.kind) == PROBLEM_REVIEW,
            cases.c.resolution == TERMINATED,
            cases.c.compensation_type.is_not(None),
        )
        .group_by(currency, kind)
    )
    return {(c, str(k)): (int(n), int(total or 0)) for c, k, n, total in result.tuples()}


async def _reopened_offers(
    connection: AsyncConnection, ended: ColumnElement[bool]
) -> list[tuple[str | None, dict[str, int]]]:
    """What each reopened complaint among the `ended` gave, in its currency, type by type:
    the offers each kept as it gave them (`cases.compensation_given`)."""
    result = await connection.execute(
        select(cases.c.currency, cases.c.compensation_given).where(ended, cases.c.reopen_count > 0)
    )
    return [(currency, given_by_type(given or ())) for currency, given in result.tuples()]


async def _overdue(
    connection: AsyncConnection, rows: ReportRows, start: datetime, end: datetime
) -> None:
    rows.overdue_in_period = int(
        (
            await connection.execute(
                select(func.count(distinct(events.c.case_id))).where(
                    events.c.kind == "overdue", _in(events.c.at, start, end)
                )
            )
        ).scalar_one()
    )
    # Cases that are overdue now: marked overdue and not yet followed up or ended.
    rows.overdue_now = int(
        (
            await connection.execute(
                select(func.count()).where(
                    cases.c.overdue_since.is_not(None),
                    _unindexed(connection, cases.c.kind) == COMPLAINT,
                    cases.c.state.not_in(ENDED_STATES),
                )
            )
        ).scalar_one()
    )


def _concluding(kinds: Sequence[str], case_kind: str, start: datetime, end: datetime) -> Any:
    return and_(
        events.c.kind.in_(kinds),
        _in(events.c.at, start, end),
        cases.c.id == events.c.case_id,
        cases.c.kind == case_kind,
    )


async def _reviews_and_exits(
    connection: AsyncConnection, rows: ReportRows, start: datetime, end: datetime
) -> None:
    reviews = _concluding(tuple(REVIEW_OUTCOMES), PROBLEM_REVIEW, start, end)
    result = await connection.execute(
        select(events.c.kind, events.c.step, func.count(distinct(events.c.case_id)))
        .where(reviews)
        .group_by(events.c.kind, events.c.step)
    )
    rows.reviews = [(str(k), str(s), int(n)) for k, s, n in result.tuples()]

    exits = _concluding(EXIT_OUTCOMES, EXIT_INTERVIEW, start, end)
    result = await connection.execute(
        select(events.c.kind, func.count(distinct(events.c.case_id)))
        .where(exits)
        .group_by(events.c.kind)
    )
    rows.exits = [(str(k), int(n)) for k, n in result.tuples()]

    # Defections are few next to the log: their reasons lists are counted in flows.
    result = await connection.execute(
        select(events.c.data).where(_concluding(("defected",), EXIT_INTERVIEW, start, end))
    )
    rows.defection_reasons = [_reasons(data) for (data,) in result.tuples()]

    # So are check-ins: what each customer said about staying is counted in flows.
    result = await connection.execute(
        select(events.c.data).where(_concluding((HEARD,), CHECK_IN, start, end))
    )
    rows.check_ins = [str(d.get("standing")) for (d,) in result.tuples() if isinstance(d, dict)]


def _reasons(data: Any) -> list[str]:
    reasons = data.get("reasons") if isinstance(data, dict) else None
    return [str(r) for r in reasons] if isinstance(reasons, list) else []


def _status_changes(kinds: dict[str, str], when: ColumnElement[bool]) -> Select[Any]:
    """The customers of the concluding events of `kinds` (event kind: case kind) `when`."""
    return select(cases.c.customer_id).where(
        events.c.kind.in_(tuple(kinds)),
        when,
        cases.c.id == events.c.case_id,
        or_(*[and_(events.c.kind == kind, cases.c.kind == of) for kind, of in kinds.items()]),
        cases.c.customer_id.is_not(None),
    )


def _lost_at(start: datetime) -> Any:
    """Customers lost at `start`: their latest loss before it came after any winning back."""
    lost, won = (
        func.max(case((events.c.kind.in_(tuple(kinds)), events.c.at)))
        for kinds in (LOSING_EVENTS, WINNING_EVENTS)
    )
    return (
        _status_changes(STATUS_EVENTS, events.c.at < start)
        .group_by(cases.c.customer_id)
        .having(lost.is_not(None), or_(won.is_(None), lost > won))
        .scalar_subquery()
    )


async def _customers_lost(
    connection: AsyncConnection, rows: ReportRows, start: datetime, end: datetime
) -> None:
    in_period = _in(events.c.at, start, end)
    lost_in_period = _status_changes(LOSING_EVENTS, in_period).scalar_subquery()
    defected = customers.c.id.in_(_status_changes(DEFECTING_EVENTS, in_period).scalar_subquery())
    result = await connection.execute(
        select(
            customers.c.currency,
            func.count(),
            func.coalesce(func.sum(customers.c.yearly_value), 0),
            func.count().filter(defected),
        )
        .where(customers.c.id.in_(lost_in_period))
        .group_by(customers.c.currency)
    )
    for currency, lost, value, chose in result.tuples():
        rows.lost_customers += int(lost)
        rows.defected_customers += int(chose)
        if value:
            rows.value_lost[currency] = int(value)
    # The customers one could lose in the period: those active at its start (registered
    # before it, and not lost then — or won back since their last loss), and those who came
    # during it, registered or won back (a customer who came and went inside it counts on
    # both sides). Everyone lost in the period is among them, so the rate stays within 100%.
    changed_in_period = _status_changes(STATUS_EVENTS, _in(events.c.at, start, end))
    served = (
        await connection.execute(
            select(func.count()).where(
                or_(
                    and_(
                        or_(customers.c.created_at < end, customers.c.created_at.is_(None)),
                        customers.c.id.not_in(_lost_at(start)),
                    ),
                    customers.c.id.in_(changed_in_period.scalar_subquery()),
                )
            )
        )
    ).scalar_one()
    rows.customers_served = int(served)


def _by_currency_then_type(item: tuple[tuple[str | None, str], Any]) -> tuple[str, str]:
    """Order compensation rows by currency (the one never kept, None, first), then type."""
    (currency, kind), _ = item
    return currency or "", kind
