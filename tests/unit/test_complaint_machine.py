"""The complaint state machine: every legal path, and the moves it refuses."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from flows.machine import IllegalMove
from flows.procedures.complaint import COMPLAINT, FIVE_STEPS, Step, step_number

LIMIT = 500_000


@dataclass
class Card:
    state: str = Step.intake


def walk(*triggers: str, value: int = 0) -> Card:
    case = Card()
    for trigger in triggers:
        COMPLAINT.fire(case, trigger, value=value, limit=LIMIT)
    return case


TO_COMPENSATE = ("open", "apologised", "fixed", "empathised")


def test_the_five_steps_run_in_order_to_a_closed_case() -> None:
    case = walk(*TO_COMPENSATE, "compensated", "scheduled", "satisfied")
    assert case.state == Step.closed


def test_compensation_within_the_limit_goes_straight_to_follow_up() -> None:
    assert walk(*TO_COMPENSATE, "compensated", value=LIMIT).state == Step.follow_up


def test_compensation_above_the_limit_waits_for_approval() -> None:
    assert walk(*TO_COMPENSATE, "compensated", value=LIMIT + 1).state == Step.awaiting_approval


def test_an_approval_moves_on_to_follow_up_and_a_decline_returns_to_compensate() -> None:
    approved = walk(*TO_COMPENSATE, "compensated", "approved", value=LIMIT + 1)
    declined = walk(*TO_COMPENSATE, "compensated", "declined", value=LIMIT + 1)
    assert (approved.state, declined.state) == (Step.follow_up, Step.compensate)


def test_a_customer_still_unhappy_sends_the_case_back_to_fix() -> None:
    case = walk(*TO_COMPENSATE, "compensated", "scheduled", "still_unhappy")
    assert case.state == Step.fix


def test_an_unreachable_customer_keeps_the_case_waiting_for_follow_up() -> None:
    case = walk(*TO_COMPENSATE, "compensated", "scheduled", "unreachable", "unreachable")
    assert case.state == Step.awaiting_follow_up


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("open", "apologised"), Step.apologise),
        (("open", "apologised", "fixed"), Step.fix),
        ((*TO_COMPENSATE,), Step.empathise),
        ((*TO_COMPENSATE, "compensated"), Step.compensate),
    ],
)
def test_going_back_returns_to_the_previous_step(path: tuple[str, ...], expected: str) -> None:
    assert walk(*path, "back").state == expected


@pytest.mark.parametrize("state", [s for s in Step if s not in (Step.closed, Step.cancelled)])
def test_every_open_state_can_be_cancelled(state: Step) -> None:
    case = Card(state=state)
    COMPLAINT.fire(case, "cancel")
    assert case.state == Step.cancelled


@pytest.mark.parametrize(
    ("path", "trigger"),
    [
        ((), "apologised"),
        (("open",), "fixed"),
        (("open",), "back"),
        (("open", "apologised"), "empathised"),
        (("open", "apologised"), "compensated"),
        ((*TO_COMPENSATE,), "scheduled"),
        ((*TO_COMPENSATE, "compensated", "scheduled", "satisfied"), "cancel"),
        ((*TO_COMPENSATE, "compensated", "scheduled", "satisfied"), "still_unhappy"),
        ((), "no_such_trigger"),
    ],
)
def test_a_step_cannot_be_skipped_or_replayed(path: tuple[str, ...], trigger: str) -> None:
    case = walk(*path)
    before = case.state
    assert not COMPLAINT.may(case, trigger, value=0, limit=LIMIT)
    with pytest.raises(IllegalMove):
        COMPLAINT.fire(case, trigger, value=0, limit=LIMIT)
    assert case.state == before


def test_the_five_steps_are_numbered_one_to_five_and_waiting_states_share_their_step() -> None:
    assert [step_number(s) for s in FIVE_STEPS] == [1, 2, 3, 4, 5]
    assert step_number(Step.awaiting_approval) == 4
    assert step_number(Step.awaiting_follow_up) == 5
    assert step_number(Step.intake) is None


def test_the_diagram_names_every_state_and_trigger() -> None:
    diagram = COMPLAINT.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for state in Step:
        assert state in diagram
    for transition in COMPLAINT.transitions:
        assert str(transition["trigger"]) in diagram
