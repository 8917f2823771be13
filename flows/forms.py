"""What each step asks staff to record, as data: fields, their kinds and conditions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flows.complaint import Step

Draft = dict[str, Any]

CATEGORIES = ("price_quality", "staff_attitude", "delay", "defective", "billing", "other")
SEVERITIES = ("low", "medium", "high")
REACTIONS = ("calm", "upset", "angry")
FIX_STATUSES = ("fixed_now", "in_progress")
OUTCOMES = ("satisfied", "still_unhappy", "unreachable")
CUSTOMER_KINDS = ("individual", "business")
NO_COMPENSATION = "none"
#: Who asked for the decision a case waits for; kept in the draft until it is decided.
ASKED_BY = "_asked_by"


@dataclass(frozen=True)
class Field:
    """One thing to record. `kind` says how it is entered and checked."""

    name: str
    kind: str  # choice | text | money | when | past_date | phone | customer
    options: tuple[str, ...] = ()
    optional: bool = False
    applies: Callable[[Draft], bool] = lambda draft: True


def _new_customer(draft: Draft) -> bool:
    return draft.get("customer") == "new"


#: Who the customer is: found by name or phone, or added on the spot.
CUSTOMER_FIELDS: tuple[Field, ...] = (
    Field("customer", "customer"),
    Field("new_name", "text", applies=_new_customer),
    Field("new_phone", "phone", optional=True, applies=_new_customer),
    Field("new_kind", "choice", CUSTOMER_KINDS, applies=_new_customer),
    Field("new_since", "past_date", optional=True, applies=_new_customer),
    Field("new_yearly_value", "money", optional=True, applies=_new_customer),
)

INTAKE: tuple[Field, ...] = (
    *CUSTOMER_FIELDS,
    Field("summary", "text"),
    Field("category", "choice", CATEGORIES),
    Field("severity", "choice", SEVERITIES),
)


def compensate_form(catalogue: Sequence[str]) -> tuple[Field, ...]:
    """Build the compensation step from the company's catalogue."""
    return (
        Field("type", "choice", tuple(catalogue)),
        Field("value", "money", applies=lambda d: d.get("type") != NO_COMPENSATION),
        Field("reason", "text", applies=lambda d: d.get("type") == NO_COMPENSATION),
    )


STEP_FORMS: dict[str, tuple[Field, ...]] = {
    Step.intake: INTAKE,
    Step.apologise: (
        Field("reaction", "choice", REACTIONS),
        Field("note", "text", optional=True),
    ),
    Step.fix: (
        Field("action", "text"),
        Field("status", "choice", FIX_STATUSES),
        Field(
            "promised_at",
            "when",
            ("in_2h", "today_end", "tomorrow"),
            applies=lambda d: d.get("status") == "in_progress",
        ),
    ),
    Step.empathise: (Field("what_mattered", "text"),),
    Step.follow_up: (Field("due", "when", ("tomorrow", "in_3_days", "in_a_week")),),
    Step.awaiting_follow_up: (
        Field("outcome", "choice", OUTCOMES),
        Field(
            "next_due",
            "when",
            ("in_1h", "tomorrow", "in_3_days"),
            applies=lambda d: d.get("outcome") == "unreachable",
        ),
    ),
}

#: The trigger a completed form fires; awaiting_follow_up fires the chosen outcome.
COMPLETES: dict[str, str] = {
    Step.intake: "open",
    Step.apologise: "apologised",
    Step.fix: "fixed",
    Step.empathise: "empathised",
    Step.compensate: "compensated",
    Step.follow_up: "scheduled",
}


def form_for(state: str, catalogue: Sequence[str]) -> tuple[Field, ...]:
    """Return the fields recorded in `state` (empty where nothing is recorded)."""
    if state == Step.compensate:
        return compensate_form(catalogue)
    return STEP_FORMS.get(state, ())


def next_field(fields: Sequence[Field], draft: Draft) -> Field | None:
    """Return the first field still to fill, or None when the form is complete."""
    for f in fields:
        if f.applies(draft) and f.name not in draft:
            return f
    return None


def completing_trigger(state: str, draft: Draft) -> str:
    """Name the trigger that a completed form in `state` fires."""
    return COMPLETES.get(state) or str(draft["outcome"])
