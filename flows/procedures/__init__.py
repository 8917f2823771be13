"""Every procedure a case can follow, each in a module of its own (`Procedure`, `Hooks`).

Adding a procedure is adding a module with its machine, forms and hooks, and one line here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flows.forms import ASKED_AT, ASKED_BY, Field, next_field
from flows.model import Case
from flows.policy import Policy
from flows.procedures import check_in, complaint, exit_interview, review
from flows.procedures.base import VERDICTS_BY_SUBJECT, Procedure

PROCEDURES: dict[str, Procedure] = {
    p.kind: p
    for p in (complaint.PROCEDURE, review.PROCEDURE, exit_interview.PROCEDURE, check_in.PROCEDURE)
}

#: Every state in which a case waits for a supervisor's decision, whatever its procedure.
DECISION_STATES: tuple[str, ...] = tuple(
    sorted({str(s) for p in PROCEDURES.values() for s in p.decisions})
)
#: Every state whose step may ask for a supervisor's approval in its middle (goodwill above
#: the limit in the termination conversation): a case there waits while the request stands.
ASKING_STATES: tuple[str, ...] = tuple(
    sorted({str(s) for p in PROCEDURES.values() for s in p.subjects if s not in p.decisions})
)


#: Every state, in the order the procedures walk them (complaints first): where a list of
#: states is read by people, it follows the work, not the alphabet.
STATE_ORDER: dict[str, int] = {}
for _procedure in PROCEDURES.values():
    for _state in _procedure.flow.all_states():
        STATE_ORDER.setdefault(_state, len(STATE_ORDER))


def procedure_of(case: Case) -> Procedure:
    """Return the procedure a case follows."""
    return PROCEDURES[case.kind]


def step_question(case: Case, policy: Policy) -> Field | None:
    """The step's own next question, whatever side form (an incident) is open beside it."""
    context = {"customer": case.customer_id} if case.customer_id else {}
    return next_field(procedure_of(case).form(case.state, policy), {**context, **case.draft})


#: The key of an event's data that keeps what was entered at a step left before it was
#: completed — the case cancelled or ended early, stepped back, an offer declined mid-step.
UNFINISHED = "unfinished"


def unrecorded(case: Case, policy: Policy) -> dict[str, Any]:
    """The answers entered at the case's step that no event holds yet: a step is logged
    when it completes (a termination conversation's moves one by one, `Hooks.unlogged`),
    so these are lost unless the event that leaves the step keeps them (`UNFINISHED`)."""
    spec, draft = procedure_of(case), case.draft
    step = [f.name for f in spec.form(case.state, policy)]
    answers = {n: draft[n] for n in step if draft.get(n) is not None}
    return spec.hooks.unlogged(case, answers, step_question(case, policy))


def waits_for_decision(case: Case) -> bool:
    """Tell whether the case waits for a supervisor: in a decision state, or in a state that
    asks for an approval with the request standing (`ASKED_BY`, set by every request and
    gone once it is decided, stepped back from or cancelled). Every list of what waits for
    a decision reads this rule (`storage.repositories.filter_conditions` in SQL)."""
    return _waits(case.state, case.draft)


def _waits(state: str, draft: Mapping[str, Any]) -> bool:
    return state in DECISION_STATES or (state in ASKING_STATES and ASKED_BY in draft)


def request_waiting(state: str, draft: Mapping[str, Any], version: int) -> int | None:
    """The version the buttons of the request a case waits on carry (`asked_version`), from
    its state, draft and version; None while it waits for no decision. A copy of a request
    drawn at another version no longer waits: it was decided, put off, withdrawn or ended."""
    return int(draft.get(ASKED_AT, version)) if _waits(state, draft) else None


def all_fields(policy: Policy) -> Iterator[Field]:
    """Every field any procedure asks for, in any state."""
    for procedure in PROCEDURES.values():
        for state in procedure.flow.all_states():
            yield from procedure.form(state, policy)


__all__ = [
    "ASKING_STATES",
    "DECISION_STATES",
    "PROCEDURES",
    "STATE_ORDER",
    "VERDICTS_BY_SUBJECT",
    "Procedure",
    "all_fields",
    "procedure_of",
    "request_waiting",
    "waits_for_decision",
]
