"""The step marks a case keeps as its log grows tell what the report's rule reads from the log.

`flows.compliance` reads one complaint's log for its page: each step's first event, and all
five in order. The report reads the marks instead (`cases.step_marks`); here both are asked
about every kind of log, including steps missing, repeated and out of order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from flows.compliance import compliance
from flows.model import ALL_FIVE_IN_ORDER, FIVE_STEP_EVENTS, Case, marked, step_bit

AT = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)
KINDS = st.lists(st.sampled_from([*FIVE_STEP_EVENTS, "opened", "note", "back", "still_unhappy"]))


@given(KINDS)
def test_the_marks_record_each_step_and_all_five_in_order_as_the_log_tells(
    kinds: list[str],
) -> None:
    case = Case("complaint", owner_id=1, opened_at=AT, id=7)
    read = compliance([case.record(AT, 1, "step", kind, {}) for kind in kinds])
    assert [bool(case.step_marks & step_bit(mark.event)) for mark in read.steps] == [
        mark.recorded for mark in read.steps
    ]
    assert (case.step_marks == ALL_FIVE_IN_ORDER) == read.in_order


def test_five_steps_in_order_then_a_reopens_repeats_stay_in_order() -> None:
    kinds = [*FIVE_STEP_EVENTS, "still_unhappy", "fixed", "empathised", "compensated"]
    assert reduce(marked, kinds, 0) == ALL_FIVE_IN_ORDER


def test_a_step_first_recorded_before_the_one_ahead_of_it_is_never_in_order() -> None:
    swapped = ["apologised", "empathised", "fixed", "compensated", "scheduled"]
    marks = reduce(marked, swapped, 0)
    assert marks & ALL_FIVE_IN_ORDER == ALL_FIVE_IN_ORDER  # all five recorded
    assert marks != ALL_FIVE_IN_ORDER


def test_events_that_are_not_steps_leave_the_marks_alone() -> None:
    assert reduce(marked, ["opened", "note", "back", "approved"], 0) == 0
