"""Exit interviews: learn why a customer left, try to win them back (domain brief, section 5)."""

from __future__ import annotations

from enum import StrEnum

from flows.forms import CUSTOMER_FIELDS, Draft, Field
from flows.machine import Flow


class Stage(StrEnum):
    """Every state an exit interview can be in."""

    interview = "interview"
    win_back = "win_back"
    defected = "defected"
    won_back = "won_back"


#: The structured questions: what made the customer leave.
EXIT_REASONS = (
    "price_quality",
    "competitor_offer",
    "inattentive_service",
    "missed_appointment",
    "unresolved_complaint",
    "everything",
)
RESULTS = ("won_back", "defected")

TRANSITIONS: list[dict[str, object]] = [
    {"trigger": "answered", "source": Stage.interview, "dest": Stage.win_back},
    {"trigger": "won_back", "source": Stage.win_back, "dest": Stage.won_back},
    {"trigger": "defected", "source": Stage.win_back, "dest": Stage.defected},
]

EXIT_INTERVIEW = Flow(
    name="exit_interview",
    states=Stage,
    transitions=TRANSITIONS,
    initial=Stage.interview,
    final=(Stage.defected, Stage.won_back),
)

FORMS: dict[str, tuple[Field, ...]] = {
    Stage.interview: (
        *CUSTOMER_FIELDS,
        Field("exit_reasons", "multi", EXIT_REASONS),
        Field("open_answers", "text"),
    ),
    Stage.win_back: (
        Field("offer", "text"),
        Field("result", "choice", RESULTS),
    ),
}


def exit_form(state: str) -> tuple[Field, ...]:
    """Return the fields recorded in an exit-interview state."""
    return FORMS.get(state, ())


def exit_trigger(state: str, draft: Draft) -> str:
    """Name the trigger a completed stage fires."""
    return "answered" if state == Stage.interview else str(draft["result"])


def stage_number(state: str) -> int | None:
    """Return 1..2 for the stages staff walk, None for the ends."""
    return {Stage.interview: 1, Stage.win_back: 2}.get(Stage(state))
