"""The report's queries against a plain Python recount, on data chosen to be awkward.

`tests/integration/test_exports_report_figures.py` checks one hand-computed period. Here the
figures that `storage/report_queries.py` aggregates in the database (ended complaints, their
time to resolution, step compliance) are recounted in Python from the very cases inserted:
no complaint, one, an even number with ties at the median, and a few hundred with steps
missing, repeated and out of order, among cases of other kinds and outside the period.
On SQLite it also checks that every statement reads the cases through the index that covers
it: without statistics, SQLite otherwise reads every case (1.2 s instead of 0.4 s for the
year of `benchmarks`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from flows.model import FIVE_STEP_EVENTS
from flows.procedures.complaint import MISTAKEN
from flows.reports import compute
from storage.reading import read_snapshot
from storage.report_queries import gather
from tests.integration.test_exports_report_figures import HCM, Builder, at, build
from tests.unit.test_reports import PERIOD

START, END = PERIOD.bounds(HCM)
#: What a case's walk may record besides the five steps.
OTHER_EVENTS = ("open", "note", "still_unhappy")


def complaint(
    b: Builder,
    opened: datetime,
    minutes: int,
    state: str,
    kinds: list[str],
    offer: dict[str, Any] | None = None,
    **columns: Any,
) -> None:
    """A complaint that ended (`state`) exactly `minutes` after `opened`, recording `offer`
    on its last `compensated` event.

    Whole minutes on purpose: counted from `julianday()` floats, SQLite once put many of them
    a minute short, where PostgreSQL counts them exactly.
    """
    closed = opened + timedelta(minutes=minutes)
    last = len(kinds) - 1 - kinds[::-1].index("compensated") if offer else -1
    steps = [
        (kind, "step", opened + timedelta(seconds=i + 1), offer if i == last else {})
        for i, kind in enumerate(kinds)
    ]
    b.case("complaint", 1, opened, state, steps, closed_at=closed, **columns)


def nobody(b: Builder) -> None:
    """No complaint at all in the period: one ended before it, one after it."""
    complaint(b, at(20, month=10), 60, "closed", list(FIVE_STEP_EVENTS))
    complaint(b, at(16), 60, "closed", list(FIVE_STEP_EVENTS))


def one(b: Builder) -> None:
    complaint(b, at(3), 1_441, "closed", list(FIVE_STEP_EVENTS))


def ties(b: Builder) -> None:
    """Eight closed: the 4th and 5th of them (the two middles) and the 8th tie with others."""
    for minutes in (30, 90, 90, 90, 200, 200, 5_000, 5_000):
        complaint(b, at(4), minutes, "closed", list(FIVE_STEP_EVENTS))
    complaint(b, at(5), 10, "cancelled", ["apologised"])


def awkward(b: Builder) -> None:
    """A few hundred cases of every kind and state, around and across the period's edges."""
    rng = random.Random(15)
    for _ in range(300):
        opened = at(25, month=10) + timedelta(minutes=rng.randrange(30 * 24 * 60))
        kinds = rng.choices([*FIVE_STEP_EVENTS, *OTHER_EVENTS], k=rng.randrange(9))
        if rng.random() < 0.4:  # the five in order, then perhaps a reopen's repeats
            kinds = [*FIVE_STEP_EVENTS, *kinds[: rng.randrange(3)]]
        state = rng.choice(("closed", "closed", "cancelled", "awaiting_follow_up"))
        # a cancelled complaint: closed with its customer let go, or opened by mistake
        resolution = (
            rng.choice(("customer_terminated", MISTAKEN)) if state == "cancelled" else None
        )
        minutes = rng.choice((rng.randrange(5), rng.randrange(3 * 24 * 60)))
        if rng.random() < 0.1:
            b.case("problem_review", 1, opened, "retained", [], closed_at=opened)
        elif state == "awaiting_follow_up":
            b.case("complaint", 1, opened, state, [(k, "step", opened, {}) for k in kinds])
        else:
            compensation = rng.choice((None, "voucher", "refund"))
            value = rng.randrange(1, 5) * 100_000 if compensation else None
            reopened = rng.choice((0, 0, 1, 2))
            offer = {"type": compensation, "value": value, "to": "follow_up"}
            if compensation and "compensated" not in kinds:
                kinds.append("compensated")  # a reopened complaint's offer is read from it
            complaint(b, opened, minutes, state, kinds, offer if compensation else None,
                      reopen_count=reopened, compensation_type=compensation,
                      compensation_value=value, resolution=resolution)  # fmt: skip


def recount(b: Builder) -> dict[str, Any]:
    """The figures, counted in Python from the cases and events as they were inserted."""
    every = {
        row["id"]: row
        for row in b.cases
        if row["kind"] == "complaint"
        and row["state"] in ("closed", "cancelled")
        and START <= row["closed_at"] < END
    }
    # what was given counts on every one; the rest on the complaints made, not the mistakes
    ended = {i: row for i, row in every.items() if row.get("resolution") != MISTAKEN}
    firsts: dict[int, dict[str, int]] = {case_id: {} for case_id in ended}
    for e in b.events:
        if e["case_id"] in ended and e["kind"] in FIVE_STEP_EVENTS:
            firsts[e["case_id"]].setdefault(e["kind"], e["seq"])  # events come in seq order
    minutes = sorted(
        (row["closed_at"] - row["opened_at"]) // timedelta(minutes=1)
        for row in ended.values()
        if row["state"] == "closed"
    )

    given: dict[str, list[int]] = {}  # compensation type: the value of each complaint given it
    for row in every.values():
        if row.get("compensation_type") is not None:
            given.setdefault(row["compensation_type"], []).append(row["compensation_value"])

    def nearest_rank(fraction: float) -> int | None:
        return minutes[max(1, math.ceil(fraction * len(minutes))) - 1] if minutes else None

    return {
        "ended": len(ended),
        "satisfied": sum(row["state"] == "closed" for row in ended.values()),
        "reopened": sum(row["reopen_count"] > 0 for row in ended.values()),
        "compensation": [
            (None, kind, len(values), sum(values)) for kind, values in sorted(given.items())
        ],
        "resolved": len(minutes),
        "median": nearest_rank(0.5),
        "p90": nearest_rank(0.9),
        "steps": {k: sum(k in f for f in firsts.values()) for k in FIVE_STEP_EVENTS},
        "in_order": sum(
            [f.get(k) for k in FIVE_STEP_EVENTS] == sorted(f.values()) and len(f) == 5
            for f in firsts.values()
        ),
    }


@pytest.mark.parametrize("cases", [nobody, one, ties, awkward], ids=lambda f: f.__name__)
async def test_the_figures_match_a_python_recount(
    engine: AsyncEngine, cases: Callable[[Builder], None]
) -> None:
    b = Builder()
    cases(b)
    await build(engine, b)
    async with read_snapshot(engine) as connection:
        rows = await gather(connection, START, END, PERIOD.week_bounds(HCM))
    figures = compute(PERIOD, rows)

    assert {
        "ended": rows.ended,
        "satisfied": rows.satisfied,
        "reopened": rows.reopened,
        "compensation": rows.compensation,
        "resolved": figures.resolved,
        "median": figures.median_minutes,
        "p90": figures.p90_minutes,
        "steps": figures.steps_recorded,
        "in_order": rows.in_order,
    } == recount(b)


def test_the_recount_of_the_ties_is_the_nearest_rank() -> None:
    """The recount itself, on `ties`: 30 90 90 90 | 200 200 5000 5000 (minutes)."""
    b = Builder()
    ties(b)
    expected = recount(b)
    assert (expected["median"], expected["p90"], expected["ended"]) == (90, 5_000, 9)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL has statistics
async def test_sqlite_reads_the_cases_through_the_indexes_that_cover_the_report(
    engine: AsyncEngine,
) -> None:
    b = Builder()
    awkward(b)
    await build(engine, b)
    statements: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", keep)
    try:
        async with engine.connect() as connection:
            await gather(connection, START, END, PERIOD.week_bounds(HCM))
            plans = [
                " / ".join(
                    str(row[-1])
                    for row in await connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {statement}", parameters
                    )
                )
                for statement, parameters in list(statements)
            ]
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", keep)

    ended = [p for p in plans if "ix_cases_closed_report (closed_at>? AND closed_at<?)" in p]
    # closed per week, resolution times, ended figures with their steps, the goodwill of the
    # goodbyes (from the index alone), the reopened ones' offers (read from their rows)
    assert len(ended) == 5, "\n".join(plans)
    assert sum("COVERING INDEX ix_cases_closed_report" in p for p in ended) == 4, ended
    # opened per week, mistakes left out, from the index alone too
    assert any("COVERING INDEX ix_cases_opened_at" in p for p in plans), plans
    assert any("ix_cases_overdue_opened" in p for p in plans), plans
    for plan in plans:
        assert "ix_cases_kind_opened" not in plan, plan
        assert "ix_cases_state_opened" not in plan, plan
