"""The case log's reads on a real database: the page query, and one case's step compliance
agreeing with the report's aggregate over many."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from flows.case_filter import CaseFilter
from flows.case_log import HISTORY_EVENTS, CaseLog, LogQuery
from flows.compliance import compliance
from flows.periods import Period
from flows.policy import Policy
from flows.procedures import PROCEDURES
from flows.procedures.complaint import MISTAKEN
from storage import tables
from storage.case_log_reader import SqlCaseLogReader
from storage.demo_data import seed
from storage.reading import read_snapshot
from storage.report_queries import gather
from storage.uow import SqlUnitOfWork
from tests.conftest import Clock

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_one_cases_compliance_agrees_with_the_reports_count_over_many(
    engine: AsyncEngine, clock: Clock
) -> None:
    async with engine.begin() as connection:
        await seed(connection, now=clock(), weeks=10, customers=150, complaints_per_week=12)
    period = Period(date(2026, 9, 1), date(2026, 11, 23))
    start, end = period.bounds(HCM)
    async with read_snapshot(engine) as connection:
        rows = await gather(connection, start, end, period.week_bounds(HCM))
        c = tables.cases.c
        ended = (
            (
                await connection.execute(
                    select(c.id, c.resolution).where(
                        c.kind == "complaint",
                        c.state.in_(("closed", "cancelled")),
                        c.closed_at >= start,
                        c.closed_at < end,
                    )
                )
            )
            .tuples()
            .all()
        )
    async with SqlUnitOfWork(async_sessionmaker(engine, expire_on_commit=False)) as uow:
        marks = [
            (compliance(await uow.events.for_case(case_id)), resolution != MISTAKEN)
            for case_id, resolution in ended
        ]
    made = [m for m, counted in marks if counted]
    assert len(made) == rows.ended > 20
    assert sum(m.in_order for m in made) == rows.in_order
    # both kinds are there to tell apart: the report leaves out the mistakes, none in order
    assert rows.in_order > 0
    assert any(not m.in_order for m, _ in marks)
    for kind in rows.steps_recorded:
        assert rows.steps_recorded[kind] == sum(
            any(s.event == kind and s.recorded for s in m.steps) for m in made
        )


async def test_a_page_reads_days_in_the_readers_time_zone_and_finds_customers_by_name(
    engine: AsyncEngine,
) -> None:
    # 00:30 on 23 November in Ho Chi Minh City is still 22 November in UTC.
    opened = datetime(2026, 11, 23, 0, 30, tzinfo=HCM)
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.staff),
            [{"id": 1, "telegram_id": 1, "name": "Lan", "role": "staff", "active": True}],
        )
        await connection.execute(
            insert(tables.customers),
            [{"id": 1, "name": "Đặng Thu Hà", "search_key": "dang thu ha", "kind": "individual",
              "phone": "0912345678", "status": "active"}],
        )  # fmt: skip
        await connection.execute(
            insert(tables.cases),
            [{"id": 7, "kind": "complaint", "state": "fix", "version": 2, "events_count": 2,
              "owner_id": 1, "customer_id": 1, "draft": {}, "reopen_count": 0,
              "opened_at": opened, "updated_at": opened + timedelta(minutes=5)}],
        )  # fmt: skip
    async with SqlUnitOfWork(async_sessionmaker(engine, expire_on_commit=False)) as uow:
        reader = SqlCaseLogReader(uow.session)
        day = date(2026, 11, 23)
        on_the_day = LogQuery(CaseFilter(status="-", start=day, end=day))
        assert [r.case_id for r in await reader.page(on_the_day, HCM)] == [7]
        assert await reader.page(on_the_day, ZoneInfo("UTC")) == []
        (row,) = await reader.page(LogQuery(search="dang thu"), HCM)
        assert (row.customer, row.phone, row.owner, row.state) == (
            "Đặng Thu Hà", "0912345678", "Lan", "fix"
        )  # fmt: skip
        assert row.opened_at == opened.astimezone(UTC)
        assert await reader.page(LogQuery(search="0912 999"), HCM) == []
        assert [r.case_id for r in await reader.page(LogQuery(search="12345"), HCM)] == [7]


async def test_a_customers_ladder_and_exit_history_is_read_in_one_statement(
    engine: AsyncEngine, sessions: async_sessionmaker[Any], clock: Clock
) -> None:
    async with engine.begin() as connection:
        await seed(connection, now=clock(), weeks=10, customers=150, complaints_per_week=12)
        c = tables.cases.c
        customer_id = (
            await connection.execute(
                select(c.customer_id)
                .where(c.kind.in_(("problem_review", "exit_interview")))
                .group_by(c.customer_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        ).scalar_one()
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM case_events" in statement:
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        async with SqlUnitOfWork(sessions) as uow:
            supervisor = next(p for p in await uow.staff.everyone() if p.oversees)
            log = CaseLog(uow, SqlCaseLogReader(uow.session), Policy(), clock)
            shown = await log.customer(supervisor, customer_id)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)
    reviewed = [case for case in shown.cases if case.kind in HISTORY_EVENTS]
    assert len(reviewed) > 1  # several cases with a history, however many
    assert {kind for kind, _ in shown.history} <= {case.kind for case in reviewed}
    assert len(reads) == 1


async def test_the_demo_history_logs_each_case_as_the_bot_would_log_it(
    engine: AsyncEngine, clock: Clock
) -> None:
    """Every case opens at its procedure's first step; a case that is not a complaint has
    its customer chosen at once; every move is one its procedure allows from the step the
    one before it led to, and the case stands where its last move left it."""
    async with engine.begin() as connection:
        await seed(connection, now=clock(), weeks=10, customers=150, complaints_per_week=12)
        c, e = tables.cases.c, tables.case_events.c
        rows = (
            await connection.execute(
                select(c.id, c.kind, c.customer_id, c.state, e.step, e.kind, e.data)
                .join(tables.case_events, e.case_id == c.id)
                .order_by(c.id, e.seq)
            )
        ).all()
    logs: dict[int, list[Any]] = {}
    for row in rows:
        logs.setdefault(row[0], []).append(row)
    kinds = {row[1] for row in rows}
    assert kinds == {"complaint", "problem_review", "exit_interview"}
    for events in logs.values():
        case_kind, customer = events[0][1], events[0][2]
        flow = PROCEDURES[case_kind].flow
        first = str(flow.initial)
        opening = [(step, kind) for *_, step, kind, _data in events[:2]]
        if case_kind == "complaint":
            assert opening[0] == (first, "opened")
        else:
            assert opening == [(first, "opened"), (first, "customer_chosen")]
            assert events[1][6] == {"customer": customer}
        moves = {t["trigger"] for t in flow.transitions}
        state = first
        for *_, step, kind, data in events:
            if kind in moves:
                assert (step, kind in flow.triggers_from(step)) == (state, True), (step, kind)
                state = data["to"]
        assert events[0][3] == state
