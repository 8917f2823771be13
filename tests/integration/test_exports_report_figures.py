"""The report's queries on a real database give exactly the hand-computed rows.

The fixture is the period of tests/unit/test_reports.py (2-15 November 2026, Ho Chi Minh
time), built case by case with the events the bot writes; every number in `ROWS` there is
worked out by hand in the comments below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from flows.model import marked
from flows.reports import compute
from storage import tables
from storage.reading import read_snapshot
from storage.report_queries import gather
from tests.replayed import given_offers
from tests.unit.test_reports import PERIOD, ROWS

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIVE = ("apologised", "fixed", "empathised", "compensated", "scheduled")


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    """A moment in Ho Chi Minh time, November 2026 unless told otherwise."""
    return datetime(2026, month, day, hour, 0, tzinfo=HCM)


@dataclass
class Builder:
    """Cases and events to insert, numbered as they are added."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def case(
        self,
        kind: str,
        customer: int,
        opened: datetime,
        state: str,
        steps: list[tuple[str, str, datetime, dict[str, Any]]],
        **columns: Any,
    ) -> int:
        case_id = len(self.cases) + 1
        everything = [("opened", "intake", opened, {}), *steps]
        for seq, (event_kind, step, when, data) in enumerate(everything, start=1):
            self.events.append(
                {
                    "case_id": case_id,
                    "seq": seq,
                    "at": when,
                    "actor_id": 1,
                    "step": step,
                    "kind": event_kind,
                    "data": data,
                }
            )
        self.cases.append(
            {
                "id": case_id,
                "kind": kind,
                "state": state,
                "version": 1,
                "events_count": len(everything),
                "owner_id": 1,
                "customer_id": customer,
                "draft": {},
                "reopen_count": 0,
                "opened_at": opened,
                "summary": "Khách phàn nàn — giao hàng trễ",
                # what the app keeps as it gives: the offers its events record as given
                "compensation_given": given_offers((k, s, d) for k, s, _, d in everything),
                "step_marks": reduce(marked, (k for k, _, _, _ in everything), 0),
                "severity": "high" if kind == "complaint" else None,  # past its intake
                **columns,
            }
        )
        return case_id


def walk(day: int, *kinds: str, start_hour: int = 10) -> list[tuple[str, str, datetime, dict]]:
    """Events of the given kinds, an hour apart from `start_hour` on one day."""
    return [(k, "step", at(day, start_hour + i), {}) for i, k in enumerate(kinds)]


def fixture() -> Builder:
    b = Builder()
    # A: opened 3 Nov 09:00, five steps in order, closed satisfied 5 Nov 09:00 (2,880 min).
    b.case("complaint", 1, at(3), "closed",
           [("open", "intake", at(3, 10), {}), *walk(3, *FIVE, start_hour=11),
            ("satisfied", "awaiting_follow_up", at(5), {"outcome": "satisfied"})],
           closed_at=at(5), resolution="resolved",
           compensation_type="voucher", compensation_value=200_000)  # fmt: skip
    # B: reopened once, overdue on 8 Nov, closed 10 Nov 09:00 after 6 days (8,640 min). No
    # compensation at first; after the reopen a refund, approved: counted as a refund alone.
    b.case("complaint", 1, at(4), "closed",
           [("open", "intake", at(4, 10), {}), *walk(4, *FIVE[:3], start_hour=11),
            ("compensated", "compensate", at(4, 14), {"type": "none", "to": "follow_up"}),
            ("scheduled", "follow_up", at(4, 15), {}),
            ("overdue", "awaiting_follow_up", at(8), {}),
            ("still_unhappy", "awaiting_follow_up", at(8, 12), {}),
            *walk(9, "fixed", "empathised"),
            ("compensated", "compensate", at(9, 12),
             {"type": "refund", "value": 1_000_000, "to": "awaiting_approval"}),
            ("approved", "awaiting_approval", at(9, 13), {"to": "follow_up"}),
            ("scheduled", "follow_up", at(9, 14), {}),
            ("satisfied", "awaiting_follow_up", at(10), {})],
           closed_at=at(10), resolution="resolved", reopen_count=1,
           compensation_type="refund", compensation_value=1_000_000)  # fmt: skip
    # C: cancelled after the apology as opened by mistake: no complaint made, no work done.
    b.case("complaint", 2, at(5, 8), "cancelled",
           [("open", "intake", at(5, 8), {}), ("apologised", "apologise", at(5, 10), {}),
            ("cancel", "fix", at(5, 12), {"reason": "Mở nhầm"})],
           closed_at=at(5, 12), resolution="cancelled")  # fmt: skip
    # D: the fix was recorded before the apology: out of order; closed after 720 min.
    b.case("complaint", 2, at(6, 8), "closed",
           [("open", "intake", at(6, 8), {}),
            *walk(6, "fixed", "apologised", "empathised", "compensated", "scheduled"),
            ("satisfied", "awaiting_follow_up", at(6, 20), {})],
           closed_at=at(6, 20), resolution="resolved",
           compensation_type="voucher", compensation_value=100_000)  # fmt: skip
    # E: opened before the period, closed in it after 13 days (18,720 min); no compensation.
    b.case("complaint", 3, at(20, month=10), "closed",
           [("open", "intake", at(20, 10, month=10), {}), *walk(21, *FIVE),
            ("satisfied", "awaiting_follow_up", at(2), {})],
           closed_at=at(2), resolution="resolved",
           compensation_type="none", compensation_value=0)  # fmt: skip
    # F: still waiting for its follow-up, overdue since 14 Nov.
    b.case("complaint", 3, at(12), "awaiting_follow_up",
           [("open", "intake", at(12, 10), {}), *walk(12, *FIVE, start_hour=11),
            ("overdue", "awaiting_follow_up", at(14), {})],
           overdue_since=at(14))  # fmt: skip
    # G opens after the period; H closed before it: neither counts.
    b.case("complaint", 1, at(16), "apologise", [("open", "intake", at(16, 10), {})])
    b.case("complaint", 1, at(25, month=10), "closed",
           [("satisfied", "awaiting_follow_up", at(1), {})], closed_at=at(1))  # fmt: skip
    # Problem reviews: customer 1 retained at "educate"; customer 2 terminated.
    b.case("problem_review", 1, at(1), "retained",
           [("next", "reassess", at(3), {}), ("resolved", "educate", at(7), {})],
           closed_at=at(7), resolution="retained")  # fmt: skip
    b.case("problem_review", 2, at(3), "terminated",
           [("concluded", "termination_conversation", at(9), {"to": "terminated"})],
           closed_at=at(9), resolution="terminated")  # fmt: skip
    # Exit interviews: customer 3 leaves, customer 4 is won back, customer 5 left in
    # October (lost before the period), customer 2 (already terminated) also defects.
    b.case("exit_interview", 3, at(10), "defected",
           [("defected", "win_back", at(11),
             {"reasons": ["price_quality", "competitor_offer"]})],
           closed_at=at(11))  # fmt: skip
    b.case("exit_interview", 4, at(10, 11), "won_back",
           [("won_back", "win_back", at(12), {"reasons": ["missed_appointment"]})],
           closed_at=at(12))  # fmt: skip
    b.case("exit_interview", 5, at(24, month=10), "defected",
           [("defected", "win_back", at(25, month=10), {"reasons": ["everything"]})],
           closed_at=at(25, month=10))  # fmt: skip
    b.case("exit_interview", 2, at(12, 10), "defected",
           [("defected", "win_back", at(13), {"reasons": ["price_quality"]})],
           closed_at=at(13))  # fmt: skip
    return b


CUSTOMERS = [
    # id, yearly value, registered (customer 4 during the period)
    (1, 5_000_000, at(1, month=1)),
    (2, 3_000_000, at(1, month=1)),
    (3, 2_000_000, at(1, month=1)),
    (4, 1_000_000, at(4)),
    (5, 7_000_000, at(1, month=1)),
]


async def build(engine: AsyncEngine, b: Builder | None = None) -> None:
    """Write the fixture (or the cases of `b`) into a migrated, empty database."""
    b = b or fixture()
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
                    "phone": f"090300000{cid}",
                    "yearly_value": value,
                    "status": "active",
                    "created_at": created,
                }
                for cid, value, created in CUSTOMERS
            ],
        )
        columns = {c.name for c in tables.cases.columns}
        rows = [{c: row.get(c) for c in columns} for row in b.cases]
        for row in rows:
            row["draft"] = row["draft"] or {}
            row["compensation_total"] = row["compensation_value"] or 0
        await connection.execute(insert(tables.cases), rows)
        await connection.execute(insert(tables.case_events), b.events)


async def test_the_queries_return_exactly_the_hand_computed_rows(engine: AsyncEngine) -> None:
    await build(engine)
    start, end = PERIOD.bounds(HCM)
    async with read_snapshot(engine) as connection:
        rows = await gather(connection, start, end, PERIOD.week_bounds(HCM))

    # C, cancelled as a mistake, is no work done: neither opened nor closed
    assert rows.opened_per_week == ROWS.opened_per_week  # A B D R2 | F X1 X2 X4
    assert rows.closed_per_week == ROWS.closed_per_week  # A D E R1 | B R2 X1 X2 X4
    assert sorted(rows.resolution_minutes) == sorted(ROWS.resolution_minutes)
    # C, cancelled as a mistake, is no complaint the customer made: not among those ended
    assert (rows.ended, rows.satisfied, rows.reopened) == (4, 4, 1)
    assert rows.steps_recorded == ROWS.steps_recorded
    assert rows.in_order == 3  # A, B, E; D fixed before apologising
    assert sorted(rows.compensation) == sorted(ROWS.compensation)
    assert (rows.overdue_in_period, rows.overdue_now) == (2, 1)  # B and F; F still
    assert sorted(rows.reviews) == sorted(ROWS.reviews)
    assert sorted(rows.exits) == sorted(ROWS.exits)
    assert sorted(map(sorted, rows.defection_reasons)) == sorted(
        map(sorted, ROWS.defection_reasons)
    )
    # Customers 2 (terminated and defected: once) and 3: 3,000,000 + 2,000,000.
    assert (rows.lost_customers, rows.value_lost) == (2, {None: 5_000_000})
    assert rows.defected_customers == 2  # both defected; customer 2 was also let go
    # Registered before 2 Nov: 1, 2, 3, 5 (customer 5 left in October); 4 came during it.
    assert rows.customers_served == 4
    assert compute(PERIOD, rows).defection_rate.ratio == 2 / 4


async def test_a_report_reads_while_a_writer_holds_the_database(engine: AsyncEngine) -> None:
    await build(engine)
    start, end = PERIOD.bounds(HCM)
    async with engine.begin() as writer:  # BEGIN IMMEDIATE on SQLite: the write lock
        await writer.execute(
            insert(tables.staff).values(id=2, telegram_id=2002, name="Lan", role="staff")
        )
        async with read_snapshot(engine) as connection:
            rows = await gather(connection, start, end, PERIOD.week_bounds(HCM))
    assert rows.ended == 4
