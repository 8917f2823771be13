"""The ladder's own rules: a long-standing customer's caution comes first, a declined
decision returns to the rung it left, tenure counts anniversaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from flows.procedures.review import LADDER, REVIEW, Rung, full_years


@dataclass
class Review:
    state: str = Rung.reassess
    draft: dict[str, Any] = field(default_factory=dict)


@pytest.mark.parametrize(
    ("since", "today", "years"),
    [
        (date(2021, 11, 23), date(2026, 11, 23), 5),  # the fifth anniversary itself
        (date(2021, 11, 24), date(2026, 11, 23), 4),  # a day short
        (date(2020, 2, 29), date(2025, 2, 28), 4),  # 29 February: not before 1 March
        (date(2020, 2, 29), date(2025, 3, 1), 5),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
    ],
)
def test_tenure_counts_the_anniversaries_reached(since: date, today: date, years: int) -> None:
    assert full_years(since, today) == years


def test_an_unanswered_caution_allows_neither_skipping_nor_going_straight_to_a_decision() -> None:
    review = Review(draft={"long_standing": True})
    assert not REVIEW.may(review, "skip")
    assert not REVIEW.may(review, "straight_to_decision", grounds=True)
    review.draft["caution"] = "will_not_change"
    assert REVIEW.may(review, "skip")
    assert REVIEW.may(review, "straight_to_decision", grounds=True)


@pytest.mark.parametrize("rung", LADDER)
def test_a_declined_decision_returns_to_the_rung_the_review_left(rung: Rung) -> None:
    review = Review(state=Rung.awaiting_decision)
    REVIEW.fire(review, "declined", left=str(rung))
    assert review.state == rung


def test_a_review_can_be_ended_from_any_open_state_but_not_once_it_has_ended() -> None:
    for state in (*LADDER, Rung.awaiting_decision, Rung.termination_conversation):
        assert REVIEW.may(Review(state=state), "cancel")
    for state in (Rung.retained, Rung.terminated, Rung.cancelled):
        assert not REVIEW.may(Review(state=state), "cancel")
