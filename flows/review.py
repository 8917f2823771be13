"""The problem-customer review: a ladder before any termination, then a scripted goodbye.

reassess -> educate -> renegotiate -> migrate -> awaiting_decision -> termination_conversation
(domain brief, sections 2-4). Termination is the last rung, and only a supervisor's
approval opens the conversation; every other route ends with the customer retained.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from itertools import pairwise
from typing import Any

from transitions import EventData

from flows.forms import CUSTOMER_FIELDS, Draft, Field
from flows.machine import Flow, data_of
from flows.model import IncidentKind


class Rung(StrEnum):
    """Every state a problem review can be in."""

    reassess = "reassess"
    educate = "educate"
    renegotiate = "renegotiate"
    migrate = "migrate"
    awaiting_decision = "awaiting_decision"
    termination_conversation = "termination_conversation"
    retained = "retained"
    terminated = "terminated"


LADDER: tuple[Rung, ...] = (Rung.reassess, Rung.educate, Rung.renegotiate, Rung.migrate)

#: The seven situations in which ending the relationship deserves consideration.
REASONS = (
    "trivial_complaints",
    "abuses_staff",
    "no_more_business",
    "no_referrals",
    "unprofitable",
    "unethical",
    "mission_mismatch",
)
#: The five kinds of client that are let go.
CLIENT_TYPES = ("exploiter", "fear_monger", "slow_payer", "uncivil", "always_wins")
#: Documented conduct that allows going straight to a decision.
GROUNDS = (IncidentKind.abuse_of_staff, IncidentKind.unethical_proposal)
OUTCOMES = ("resolved", "not_resolved", "wait")
GOODWILL = ("refund_last_period", "cancel_final_invoice", "other_goodwill")
WAIT_TIMES = ("in_a_week", "in_2_weeks", "in_a_month")
OWN_ALTERNATIVE = "own_alternative"


def has_grounds(event: EventData) -> bool:
    """Tell whether documented abuse or unethical conduct allows skipping the ladder."""
    return bool(data_of(event).get("grounds"))


_rungs = [str(r) for r in LADDER]
TRANSITIONS: list[dict[str, Any]] = [
    *[{"trigger": "next", "source": a, "dest": b} for a, b in pairwise(LADDER)],
    *[{"trigger": "skip", "source": a, "dest": b} for a, b in pairwise(LADDER)],
    {"trigger": "resolved", "source": _rungs, "dest": Rung.retained},
    {"trigger": "wait", "source": _rungs, "dest": "="},
    {"trigger": "request_decision", "source": Rung.migrate, "dest": Rung.awaiting_decision},
    {
        "trigger": "straight_to_decision",
        "source": _rungs,
        "dest": Rung.awaiting_decision,
        "conditions": has_grounds,
    },
    {
        "trigger": "approved",
        "source": Rung.awaiting_decision,
        "dest": Rung.termination_conversation,
    },
    {"trigger": "declined", "source": Rung.awaiting_decision, "dest": Rung.migrate},
    {"trigger": "later", "source": Rung.awaiting_decision, "dest": "="},
    {"trigger": "concluded", "source": Rung.termination_conversation, "dest": Rung.terminated},
]

REVIEW = Flow(
    name="termination",
    states=Rung,
    transitions=TRANSITIONS,
    initial=Rung.reassess,
    final=(Rung.retained, Rung.terminated),
)


def _deciding(draft: Draft) -> bool:
    return draft.get("rung_outcome") == "not_resolved" or bool(draft.get("straight"))


def _noted(reason: str, deciding: Callable[[Draft], bool]) -> Callable[[Draft], bool]:
    """Ask for a reason's note only when that reason was ticked."""
    return lambda draft: deciding(draft) and reason in draft.get("reasons", ())


def _rung_form(last: bool) -> tuple[Field, ...]:
    """What a rung records; the last one, if not resolved, prepares the decision."""
    deciding = _deciding if last else (lambda d: bool(d.get("straight")))

    def trying(draft: Draft) -> bool:
        return not draft.get("straight") and draft.get("caution") != "may_change"

    return (
        *CUSTOMER_FIELDS,
        Field(
            "caution",
            "choice",
            ("may_change", "will_not_change"),
            applies=lambda d: bool(d.get("long_standing")),
        ),
        Field(
            "caution_until", "when", WAIT_TIMES, applies=lambda d: d.get("caution") == "may_change"
        ),
        Field("rung_action", "text", applies=trying),
        Field(
            "rung_outcome",
            "choice",
            OUTCOMES,
            applies=trying,
        ),
        Field("wait_until", "when", WAIT_TIMES, applies=lambda d: d.get("rung_outcome") == "wait"),
        Field("reasons", "multi", REASONS, applies=deciding),
        *(Field(f"note_{r}", "text", applies=_noted(r, deciding)) for r in REASONS),
        Field("client_types", "multi", CLIENT_TYPES, optional=True, applies=deciding),
    )


def _conversation_form(partners: tuple[str, ...]) -> tuple[Field, ...]:
    """The five scripted moves, with the preparation that fits the customer's kind."""
    return (
        Field("renewal_date", "future_date", applies=lambda d: bool(d.get("business"))),
        Field("prepared", "choice", ("ready",), applies=lambda d: not d.get("business")),
        Field("appreciate", "text"),
        Field("frame", "text"),
        Field("goodwill", "choice", GOODWILL),
        Field("goodwill_value", "money"),
        Field(
            "goodwill_approval", "approval", applies=lambda d: bool(d.get("goodwill_over_limit"))
        ),
        Field("goodwill_response", "text"),
        Field("apologise", "text"),
        Field("alternative", "choice", (*partners, OWN_ALTERNATIVE)),
        Field(
            "own_alternative", "text", applies=lambda d: d.get("alternative") == OWN_ALTERNATIVE
        ),
        Field("alternatives", "text"),
    )


#: The termination conversation move by move, with the fields each records: each move is
#: logged when it is made, so the timeline shows when each was said.
MOVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("prepare", ("renewal_date", "prepared")),
    ("appreciate", ("appreciate",)),
    ("frame", ("frame",)),
    ("goodwill", ("goodwill", "goodwill_value", "goodwill_approval", "goodwill_response")),
    ("apologise", ("apologise",)),
    ("alternatives", ("alternative", "own_alternative", "alternatives")),
)


def move_of(field: str) -> tuple[str, tuple[str, ...]] | None:
    """Return the move a conversation field belongs to, with all of the move's fields."""
    return next(((name, fields) for name, fields in MOVES if field in fields), None)


def review_form(state: str, partners: tuple[str, ...]) -> tuple[Field, ...]:
    """Return the fields recorded in a review state."""
    if state in _rungs:
        return _rung_form(state == Rung.migrate)
    if state == Rung.termination_conversation:
        return _conversation_form(partners)
    return ()


def review_trigger(state: str, draft: Draft) -> str:
    """Name the trigger a completed rung or conversation fires."""
    if state == Rung.termination_conversation:
        return "concluded"
    if draft.get("caution") == "may_change":
        return "wait"
    if draft.get("straight"):
        return "straight_to_decision"
    outcome = draft.get("rung_outcome")
    if outcome == "resolved":
        return "resolved"
    if outcome == "wait":
        return "wait"
    return "request_decision" if state == Rung.migrate else "next"


def rung_number(state: str) -> int | None:
    """Return 1..4 for a ladder rung, None otherwise."""
    return LADDER.index(Rung(state)) + 1 if state in _rungs else None
