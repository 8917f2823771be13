"""Cases: numbering, the lists and figures the use cases read, the same from fake and SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.case_filter import CaseFilter
from flows.model import Case, Role
from flows.ports import UnitOfWork
from tests.contract.conftest import Store
from tests.contract.seed import NOW, case, customer, person

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")


def ids(cases: Iterable[Case]) -> list[int]:
    return [c.id or 0 for c in cases]


async def test_cases_are_numbered_in_the_order_they_are_added(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1001, "Lan")
        first, second = await case(uow, lan), await case(uow, lan)
        assert (first.id, second.id) == (1, 2)
        await uow.commit()
    async with store.unit() as uow:
        third = await case(uow, lan)
        loaded = await uow.cases.get(3)
        assert third.id == 3
        assert loaded is third
        assert await uow.cases.get(99) is None


async def test_follow_ups_are_the_waiting_cases_soonest_first_due_by_a_time_not_overdue(
    store: Store,
) -> None:
    async with store.unit() as uow:
        lan, hoa = await person(uow, 1, "Lan"), await person(uow, 2, "Hoa")
        waiting = "awaiting_follow_up"
        late = await case(uow, lan, state=waiting, follow_up_due_at=NOW + timedelta(days=3))
        soon = await case(uow, lan, state=waiting, follow_up_due_at=NOW + timedelta(hours=2))
        hoas = await case(uow, hoa, state=waiting, follow_up_due_at=NOW + timedelta(days=1))
        await case(uow, lan, state="follow_up", follow_up_due_at=NOW)  # not agreed yet
        overdue = await case(
            uow, hoa, state=waiting, follow_up_due_at=NOW - timedelta(days=2), overdue_since=NOW
        )
        await uow.commit()
    async with store.unit() as uow:
        every = [overdue.id, soon.id, hoas.id, late.id]
        assert ids(await uow.cases.follow_ups(None, None, 10)) == every
        assert ids(await uow.cases.follow_ups(lan.id, None, 10)) == [soon.id, late.id]
        assert ids(await uow.cases.follow_ups(None, None, 1)) == [overdue.id]
        # Due by a time: strictly before it (Hoa's, due at that moment, waits), and not one
        # already overdue (listed as overdue).
        due_by = NOW + timedelta(days=1)
        assert ids(await uow.cases.follow_ups(None, due_by, 10)) == [soon.id]


async def seed_customer_cases(uow: UnitOfWork) -> tuple[int, list[Case]]:
    """A customer with cases of every kind and stage, and someone else's complaint: those
    past their intake with a severity, as the intake records it."""
    lan = await person(uow, 1, "Lan")
    mai, other = await customer(uow, "Mai"), await customer(uow, "Other")
    cases = [
        await case(uow, lan, 24 * 200, customer_id=mai.id, state="closed", reopen_count=1,
                   compensation_total=200_000, resolution="resolved", severity="high"),
        await case(uow, lan, 24 * 30, customer_id=mai.id, state="fix", reopen_count=2,
                   compensation_total=300_000, severity="medium"),
        await case(uow, lan, 1, customer_id=mai.id, state="intake"),
        await case(uow, lan, 2, customer_id=mai.id, kind="problem_review", state="educate"),
        await case(uow, lan, 3, customer_id=mai.id, kind="check_in", state="checked_in"),
        await case(uow, lan, 4, customer_id=other.id, state="fix", compensation_total=9),
        await case(uow, lan, 5, customer_id=mai.id, state="cancelled", severity="low",
                   resolution="cancelled", compensation_total=50_000,
                   reopen_count=1),  # by mistake, reopened and a voucher given
        await case(uow, lan, 6, customer_id=mai.id, state="cancelled", severity="high",
                   resolution="customer_terminated"),  # closed when she was let go: made
        await case(uow, lan, 7, customer_id=mai.id, state="cancelled",
                   resolution="customer_terminated"),  # closed so at its intake: not made
    ]  # fmt: skip
    return mai.id or 0, cases


async def test_follow_ups_due_or_overdue_at_one_moment_are_listed_by_number(store: Store) -> None:
    """The same order on every engine and at every reading: a case changed since (on
    PostgreSQL its row moves to the end of the table) keeps its place among cases due or
    overdue at the same moment."""
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        waiting = "awaiting_follow_up"
        first, second = [
            await case(uow, lan, state=waiting, follow_up_due_at=NOW, overdue_since=None)
            for _ in range(2)
        ]
        await uow.commit()
    for change in ("follow_up_due_at", "overdue_since"):
        async with store.unit() as uow:
            for each in (second, first):  # the first case's row changed last
                loaded = await uow.cases.get(each.id or 0)
                assert loaded is not None
                setattr(loaded, change, NOW - timedelta(days=1))
                await uow.commit()
        async with store.unit() as uow:
            assert ids(await uow.cases.follow_ups(None, None, 10)) == [first.id, second.id]
            assert ids(await uow.cases.overdue(None, 10)) == (
                [first.id, second.id] if change == "overdue_since" else []
            )


async def test_a_customers_figures_count_complaints_as_at_risk_does_and_list_open_cases(
    store: Store,
) -> None:
    async with store.unit() as uow:
        mai, cases = await seed_customer_cases(uow)
        await uow.commit()
    async with store.unit() as uow:
        figures = await uow.cases.customer_figures(mai)
        assert figures == {
            "complaints": 3,  # not at intake, nor cancelled by mistake; closed as she went, yes
            "reopens": 3,  # of those three: not the mistake's
            "compensation": {None: 550_000},  # given stays given (by currency: none set here)
            "first_complaint": cases[0].opened_at,  # of the three counted
            "last_complaint": cases[7].opened_at,
            "open_cases": [cases[1].id, cases[2].id, cases[3].id],
        }
        assert sorted(ids(await uow.cases.open_for_customer(mai))) == figures["open_cases"]
        assert await uow.cases.customer_figures(999) == {
            "complaints": 0,
            "reopens": 0,
            "compensation": {},
            "first_complaint": None,
            "last_complaint": None,
            "open_cases": [],
        }


async def test_complaints_since_count_the_customers_opened_complaints_only(store: Store) -> None:
    async with store.unit() as uow:
        mai, cases = await seed_customer_cases(uow)
        await uow.commit()
    async with store.unit() as uow:
        # The one at intake is not a complaint yet, nor the one cancelled by mistake (that
        # closed when she was let go is); the closed one is older than 90 days.
        assert await uow.cases.complaints_since(mai, NOW - timedelta(days=90)) == 2
        assert await uow.cases.complaints_since(mai, NOW - timedelta(days=365)) == 3
        assert await uow.cases.complaints_since(mai, cases[1].opened_at) == 2  # from that moment
        assert await uow.cases.complaints_since(mai, NOW) == 0


async def test_waiting_decisions_overdue_cases_and_open_counts(store: Store) -> None:
    async with store.unit() as uow:
        lan, hoa = await person(uow, 1, "Lan"), await person(uow, 2, "Hoa")
        newer = await case(uow, lan, 1, state="awaiting_approval")
        older = await case(uow, hoa, 5, kind="problem_review", state="awaiting_decision")
        late = await case(uow, lan, 9, state="awaiting_follow_up", overdue_since=NOW)
        later = await case(
            uow, hoa, 9, state="awaiting_follow_up", overdue_since=NOW - timedelta(hours=3)
        )
        await case(uow, lan, 9, state="closed", resolution="resolved")
        await case(uow, hoa, 9, kind="exit_interview", state="defected")
        await case(uow, hoa, 9, kind="check_in", state="checked_in", resolution="resolved")
        await uow.commit()
    async with store.unit() as uow:
        nobody = 0  # owns no case, asked for nothing
        assert ids(await uow.cases.waiting_decision(nobody, 10)) == [older.id, newer.id]
        assert ids(await uow.cases.waiting_decision(nobody, 1)) == [older.id]
        assert ids(await uow.cases.overdue(None, 10)) == [later.id, late.id]
        assert ids(await uow.cases.overdue(lan.id, 10)) == [late.id]
        assert await uow.cases.count_open_by_state() == {
            "awaiting_approval": 1,
            "awaiting_decision": 1,
            "awaiting_follow_up": 2,
        }
        assert await uow.cases.figures_by_owner() == {
            lan.id: {"open": 2, "overdue": 1, "turned_around": 1},
            hoa.id: {"open": 2, "overdue": 1, "turned_around": 0},
        }


async def test_awaiting_a_decision_is_a_decision_state_or_an_approval_asked_mid_step(
    store: Store,
) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        talk = {"kind": "problem_review", "state": "termination_conversation"}
        deciding = await case(uow, lan, 3, kind="problem_review", state="awaiting_decision")
        goodwill = {"goodwill_over_limit": True, "_asked_by": lan.id, "_asked_at": 4}
        asking = await case(uow, lan, 2, draft=goodwill, **talk)
        await case(uow, lan, 1, draft={"goodwill": "refund_last_period"}, **talk)  # not asked
        await case(uow, lan, 1, state="compensate", draft={"_asked_by": lan.id})  # no approval
        await uow.commit()
    async with store.unit() as uow:
        found = await uow.cases.find(CaseFilter(status="a"), 10, SAIGON)
        assert ids(found) == [asking.id, deciding.id]
        assert ids(await uow.cases.waiting_decision(0, 10)) == [deciding.id, asking.id]  # oldest


async def test_a_supervisor_is_offered_no_request_on_their_own_case_or_that_they_asked_for(
    store: Store,
) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        minh = await person(uow, 2, "Minh", Role.supervisor)
        thu = await person(uow, 3, "Thu", Role.supervisor)
        decision = {"kind": "problem_review", "state": "awaiting_decision"}
        theirs = await case(uow, lan, 4, draft={"_asked_by": lan.id}, **decision)
        asked = await case(uow, lan, 3, draft={"_asked_by": minh.id}, **decision)
        owned = await case(uow, minh, 2, **decision)  # handed to Minh, nobody named as asking
        await case(uow, minh, 1)  # his, waiting for nothing
        await uow.commit()
    async with store.unit() as uow:
        assert ids(await uow.cases.waiting_decision(minh.id or 0, 10)) == [theirs.id]
        assert await uow.cases.waiting_on_others(minh.id or 0) == 2
        assert ids(await uow.cases.waiting_decision(thu.id or 0, 10)) == [
            theirs.id,
            asked.id,
            owned.id,
        ]
        assert await uow.cases.waiting_on_others(thu.id or 0) == 0
        assert await uow.cases.waiting_on_others(lan.id or 0) == 2  # hers and the one asked


async def test_lists_filter_by_status_kind_owner_and_customer_newest_first(store: Store) -> None:
    async with store.unit() as uow:
        lan, hoa = await person(uow, 1, "Lan"), await person(uow, 2, "Minh", Role.supervisor)
        mai = await customer(uow, "Mai")
        a = await case(uow, lan, 5, customer_id=mai.id)
        b = await case(uow, hoa, 4, state="closed")
        c = await case(uow, lan, 3, kind="problem_review", state="awaiting_decision")
        d = await case(uow, hoa, 2, state="awaiting_follow_up", overdue_since=NOW)
        e = await case(uow, lan, 1, kind="exit_interview", state="won_back", customer_id=mai.id)
        f = await case(uow, lan, 10, state="closed")  # numbered last, opened first
        await uow.commit()
    async with store.unit() as uow:

        async def found(limit: int = 10, **wanted: Any) -> list[int]:
            return ids(await uow.cases.find(CaseFilter(**wanted), limit, SAIGON))

        assert await found() == [d.id, c.id, a.id]  # open, newest first
        assert await found(status="c") == [e.id, b.id, f.id]
        assert await found(status="d") == [d.id]
        assert await found(status="a") == [c.id]
        assert await found(status="-") == [e.id, d.id, c.id, b.id, a.id, f.id]
        assert await found(status="-", kind="r") == [c.id]
        assert await found(status="-", kind="-", owner_id=lan.id) == [e.id, c.id, a.id, f.id]
        assert await found(status="-", customer_id=mai.id) == [e.id, a.id]
        assert await found(status="-", customer_id=-1) == []
        assert await found(2, status="-") == [e.id, d.id]
        assert await found(2, status="-", offset=2) == [c.id, b.id]
        assert await found(2, status="-", offset=4) == [a.id, f.id]
        assert await found(2, status="-", offset=6) == []


async def test_lists_by_date_take_days_in_the_readers_time_zone(store: Store) -> None:
    # NOW is 09:00 on 23 November in Saigon, 03:00 in Berlin. 10 hours before: 23:00 on the
    # 22nd in Saigon, 17:00 on the 22nd in Berlin; 8 hours before: 01:00 on the 23rd in
    # Saigon, still the 22nd in Berlin.
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        on_22nd = await case(uow, lan, 10)
        just_after_midnight = await case(uow, lan, 8)
        today = await case(uow, lan, 0)
        await uow.commit()
    day22, day23 = date(2026, 11, 22), date(2026, 11, 23)
    async with store.unit() as uow:

        async def opened(start: date, end: date, tz: ZoneInfo) -> list[int]:
            wanted = CaseFilter(status="-", start=start, end=end)
            return ids(await uow.cases.find(wanted, 10, tz))

        assert await opened(day22, day22, SAIGON) == [on_22nd.id]
        assert await opened(day23, day23, SAIGON) == [today.id, just_after_midnight.id]
        assert await opened(day22, day22, BERLIN) == [just_after_midnight.id, on_22nd.id]
        assert await opened(day23, day23, BERLIN) == [today.id]
        assert await opened(day22, day23, SAIGON) == [
            today.id,
            just_after_midnight.id,
            on_22nd.id,
        ]
