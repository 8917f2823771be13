"""The defection rate over customers who defect, are won back, defect again or are terminated.

Customers who defected in a period (chose to leave) ÷ the customers one could lose in it:
those active at its start (registered before it, their latest loss — if any — followed by a
winning back) and those who came during it. Customers let go (terminated) are lost, counted
in the value lost and the share lost, but are no defection. Whatever the story, neither
share passes 100%; here both are also recounted in Python on random stories, over random
periods.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from flows.periods import Period
from flows.reports import compute
from storage import tables
from storage.reading import read_snapshot
from storage.report_queries import gather
from tests.integration.test_exports_report_figures import HCM, Builder, at

#: What each concluding event does to a customer: (case kind, step, event kind, lost?).
CHANGES = {
    "defect": ("exit_interview", "win_back", "defected", True),
    "win_back": ("exit_interview", "win_back", "won_back", False),
    "terminate": ("problem_review", "termination_conversation", "concluded", True),
}
YEAR_START = datetime(2026, 1, 1, tzinfo=HCM)


async def insert_all(engine: AsyncEngine, b: Builder, registered: dict[int, datetime]) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.staff),
            [{"id": 1, "telegram_id": 2001, "name": "Minh", "role": "supervisor", "active": True}],
        )
        await connection.execute(
            insert(tables.customers),
            [
                {
                    "id": cid,
                    "name": f"Khách {cid}",
                    "search_key": f"khach {cid}",
                    "kind": "individual",
                    "yearly_value": 1_000_000,
                    "status": "active",
                    "created_at": created,
                }
                for cid, created in registered.items()
            ],
        )
        columns = {c.name for c in tables.cases.columns}
        await connection.execute(
            insert(tables.cases),
            [{**{c: row.get(c) for c in columns}, "compensation_total": 0} for row in b.cases],
        )
        await connection.execute(insert(tables.case_events), b.events)


def stories(rng: random.Random, customers: int) -> tuple[Builder, dict[int, datetime], list]:
    """Each customer registered some day of the year, then defects, is won back, defects
    again… and perhaps is terminated (which ends their story)."""
    b, registered, changes = Builder(), {}, []
    for cid in range(1, customers + 1):
        when = YEAR_START + timedelta(days=rng.randrange(200), hours=rng.randrange(24))
        registered[cid] = when
        for _ in range(rng.randrange(7)):
            when += timedelta(days=rng.randrange(1, 40), hours=rng.randrange(24))
            change = rng.choice(("defect", "defect", "win_back", "win_back", "terminate"))
            kind, step, event, _ = CHANGES[change]
            b.case(kind, cid, when, event, [(event, step, when, {})], closed_at=when)
            changes.append((cid, when, change))
            if change == "terminate":
                break
    return b, registered, changes


def recount(
    period: Period, registered: dict[int, datetime], changes: list
) -> tuple[int, int, int]:
    """(lost in the period, of them defected, customers one could lose in it), by the
    definition."""
    start, end = period.bounds(HCM)
    inside = [(cid, change) for cid, when, change in changes if start <= when < end]
    lost = {cid for cid, change in inside if CHANGES[change][3]}
    defected = {cid for cid, change in inside if change == "defect"}
    latest: dict[int, tuple[datetime, bool]] = {}
    for cid, when, change in changes:
        if when < start and (cid not in latest or when > latest[cid][0]):
            latest[cid] = (when, CHANGES[change][3])
    active = {
        cid
        for cid, created in registered.items()
        if created < end and not latest.get(cid, (created, False))[1]
    }
    return len(lost), len(defected), len(active | {cid for cid, _ in inside})


async def test_the_defection_rate_never_passes_100_percent_whatever_the_customers_did(
    engine: AsyncEngine,
) -> None:
    rng = random.Random(2026)
    b, registered, changes = stories(rng, 60)
    await insert_all(engine, b, registered)
    periods = [
        Period(date(2026, 11, 1), date(2026, 11, 30)),
        Period(date(2026, 1, 1), date(2026, 12, 31)),
    ]
    for _ in range(25):
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        periods.append(Period(first, first + timedelta(days=rng.randrange(1, 120))))
    for period in periods:
        start, end = period.bounds(HCM)
        async with read_snapshot(engine) as connection:
            rows = await gather(connection, start, end, period.week_bounds(HCM))
        figures = compute(period, rows)
        for share in (figures.defection_rate, figures.lost_share):
            assert share.part <= share.whole, (period, share)
        counted = (rows.lost_customers, rows.defected_customers, rows.customers_served)
        assert counted == recount(period, registered, changes), period


async def test_a_customer_won_back_before_the_period_and_lost_in_it_counts_on_both_sides(
    engine: AsyncEngine,
) -> None:
    b = Builder()
    for cid in (1, 2):  # defected in October, won back in October, defected in November
        for change, when in (("defect", at(5, month=10)), ("win_back", at(20, month=10)),
                             ("defect", at(10))):  # fmt: skip
            kind, step, event, _ = CHANGES[change]
            b.case(kind, cid, when, event, [(event, step, when, {})], closed_at=when)
    # Customer 3 stays; customer 4 defected in October and was never won back.
    kind, step, event, _ = CHANGES["defect"]
    b.case(kind, 4, at(5, month=10), event, [(event, step, at(5, month=10), {})],
           closed_at=at(5, month=10))  # fmt: skip
    await insert_all(engine, b, {cid: YEAR_START for cid in (1, 2, 3, 4)})
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    start, end = period.bounds(HCM)
    async with read_snapshot(engine) as connection:
        rows = await gather(connection, start, end, period.week_bounds(HCM))
    assert (rows.lost_customers, rows.customers_served) == (2, 3)
    assert compute(period, rows).defection_rate.ratio == 2 / 3
