"""The review ladder: every legal path, skipped rungs, and no way to terminate unapproved."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from flows.machine import IllegalMove
from flows.procedures.review import LADDER, REVIEW, Rung, review_trigger


@dataclass
class Review:
    state: str = Rung.reassess


def walk(*triggers: str, grounds: bool = False) -> Review:
    review = Review()
    for trigger in triggers:
        REVIEW.fire(review, trigger, grounds=grounds)
    return review


def test_the_ladder_is_climbed_in_order_up_to_a_decision() -> None:
    review = walk("next", "next", "next", "request_decision")
    assert review.state == Rung.awaiting_decision


@pytest.mark.parametrize("rung", LADDER)
def test_a_resolved_rung_retains_the_customer(rung: Rung) -> None:
    review = Review(state=rung)
    REVIEW.fire(review, "resolved")
    assert review.state == Rung.retained


@pytest.mark.parametrize("rung", LADDER)
def test_waiting_keeps_the_review_on_its_rung(rung: Rung) -> None:
    review = Review(state=rung)
    REVIEW.fire(review, "wait")
    assert review.state == rung


def test_only_an_approval_opens_the_conversation_and_only_it_reaches_terminated() -> None:
    approved = walk("next", "next", "next", "request_decision", "approved", "concluded")
    assert approved.state == Rung.terminated
    declined = walk("next", "next", "next", "request_decision", "declined")
    assert declined.state == Rung.migrate
    later = walk("next", "next", "next", "request_decision", "later")
    assert later.state == Rung.awaiting_decision


def test_going_straight_to_a_decision_needs_documented_grounds() -> None:
    with pytest.raises(IllegalMove):
        walk("straight_to_decision")
    assert walk("straight_to_decision", grounds=True).state == Rung.awaiting_decision


def test_the_last_rung_cannot_be_skipped_past_the_decision() -> None:
    assert not REVIEW.may(Review(state=Rung.migrate), "skip")


def test_no_sequence_of_triggers_reaches_terminated_without_an_approval() -> None:
    # Explore every reachable (state, approved so far) pair, with grounds always present.
    triggers = sorted({str(t["trigger"]) for t in REVIEW.transitions})
    seen: set[tuple[str, bool]] = set()
    frontier = [(str(Rung.reassess), False)]
    while frontier:
        state, approved = frontier.pop()
        if (state, approved) in seen:
            continue
        seen.add((state, approved))
        for trigger in triggers:
            review = Review(state=state)
            if REVIEW.may(review, trigger, grounds=True):
                REVIEW.fire(review, trigger, grounds=True)
                frontier.append((review.state, approved or trigger == "approved"))
    assert (str(Rung.terminated), True) in seen
    assert (str(Rung.terminated), False) not in seen


@pytest.mark.parametrize(
    ("state", "draft", "trigger"),
    [
        (Rung.reassess, {"rung_outcome": "resolved"}, "resolved"),
        (Rung.educate, {"rung_outcome": "not_resolved"}, "next"),
        (Rung.migrate, {"rung_outcome": "not_resolved"}, "request_decision"),
        (Rung.renegotiate, {"rung_outcome": "wait"}, "wait"),
        (Rung.reassess, {"caution": "may_change"}, "wait"),
        (Rung.reassess, {"straight": True}, "straight_to_decision"),
        (Rung.termination_conversation, {}, "concluded"),
    ],
)
def test_a_completed_rung_fires_the_trigger_its_answers_call_for(
    state: str, draft: dict[str, object], trigger: str
) -> None:
    assert review_trigger(state, draft) == trigger


def test_the_termination_diagram_draws_waiting_as_a_loop() -> None:
    diagram = REVIEW.mermaid()
    assert "reassess --> reassess: wait" in diagram
    assert "awaiting_decision --> termination_conversation: approved" in diagram
