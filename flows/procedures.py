"""Every procedure a case can follow: its machine, what each state records, how it numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flows.check_in import CHECK_IN, check_in_form, check_in_trigger, visit_number
from flows.complaint import COMPLAINT, FIVE_STEPS, step_number
from flows.exit_interview import EXIT_INTERVIEW, exit_form, exit_trigger, stage_number
from flows.forms import Draft, Field, completing_trigger, form_for
from flows.machine import Flow
from flows.model import Case, CaseKind
from flows.policy import Policy
from flows.review import LADDER, REVIEW, review_form, review_trigger, rung_number


@dataclass(frozen=True)
class Procedure:
    """A flow plus the data that drives its conversation."""

    flow: Flow
    form: Callable[[str, Policy], tuple[Field, ...]]
    trigger: Callable[[str, Draft], str]
    number: Callable[[str], int | None]
    steps: int
    decisions: tuple[str, ...]  # states that wait for a supervisor's decision
    #: What a supervisor decides on in a state: a whole state waiting (`decisions`) or an
    #: approval asked in the middle of a step (goodwill above the limit).
    subjects: dict[str, str] = field(default_factory=dict)

    def subject(self, state: str) -> str | None:
        """Name what a request in `state` asks a supervisor to decide, if anything."""
        return self.subjects.get(state)


#: What can be decided, and the verdicts each subject offers.
VERDICTS_BY_SUBJECT: dict[str, tuple[str, ...]] = {
    "compensation": ("approved", "declined"),
    "termination": ("approved", "declined", "later"),
    "goodwill": ("approved", "declined"),
}


PROCEDURES: dict[str, Procedure] = {
    CaseKind.complaint: Procedure(
        flow=COMPLAINT,
        form=lambda state, policy: form_for(state, policy.compensation_catalogue),
        trigger=completing_trigger,
        number=step_number,
        steps=len(FIVE_STEPS),
        decisions=("awaiting_approval",),
        subjects={"awaiting_approval": "compensation"},
    ),
    CaseKind.problem_review: Procedure(
        flow=REVIEW,
        form=lambda state, policy: review_form(state, policy.partner_codes),
        trigger=review_trigger,
        number=rung_number,
        steps=len(LADDER),
        decisions=("awaiting_decision",),
        subjects={"awaiting_decision": "termination", "termination_conversation": "goodwill"},
    ),
    CaseKind.exit_interview: Procedure(
        flow=EXIT_INTERVIEW,
        form=lambda state, policy: exit_form(state),
        trigger=exit_trigger,
        number=stage_number,
        steps=2,
        decisions=(),
    ),
    CaseKind.check_in: Procedure(
        flow=CHECK_IN,
        form=lambda state, policy: check_in_form(state),
        trigger=check_in_trigger,
        number=visit_number,
        steps=1,
        decisions=(),
    ),
}


def procedure_of(case: Case) -> Procedure:
    """Return the procedure a case follows."""
    return PROCEDURES[case.kind]


def all_fields(policy: Policy) -> Iterator[Field]:
    """Every field any procedure asks for, in any state."""
    for procedure in PROCEDURES.values():
        for state in procedure.flow.all_states():
            yield from procedure.form(state, policy)
