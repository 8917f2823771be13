"""What a procedure is made of, and what its hooks may use of the use cases.

A procedure is data — its machine, the form each state asks, how a completed form names
its trigger, which states wait for a supervisor, which side actions its cards offer — plus
`Hooks`: what it does beyond the common steps when a field is filled, a step completes, a
decision is taken or a reminder is due. The use cases (`flows/casework.py` and the modules
built on it) dispatch through these and never ask which kind of case they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from flows.forms import SIDE_FORM, Draft, Field
from flows.machine import Flow
from flows.model import Case, Customer, Staff
from flows.outcomes import CaseView, Outcome, ShowCase
from flows.policy import Policy
from flows.ports import UnitOfWork

#: Side actions of any case: a note, a photo or document, an incident about the customer;
#: escalating to the supervisors, pausing.
RECORDING = ("note", "evidence", "incident", "drop_incident")
ESCALATING = ("escalate_reason", "pause")
#: The two ways to end a case before its last step, a press each, side by side: cancelled as
#: opened by mistake (a duplicate, the wrong customer: no work done, in no figure), or ended
#: for another reason (withdrawn, unreachable, handed to another team: counted as work done).
ENDING = ("cancel_reason", "end_reason")
#: Side actions that fire a trigger: offered only when the case's machine allows it.
ACTION_TRIGGERS = {
    "back": "back",
    "cancel_reason": "cancel",
    "end_reason": "cancel",
    "skip_reason": "skip",
}
#: Side actions that ask for text first, then act on it.
TEXT_ACTIONS = ("note", "cancel_reason", "end_reason", "escalate_reason", "skip_reason")
#: What a case asks the person to type or send beside its question (`ask.*`): once the case
#: ends or leaves them before they did, they are told it never will be (`left.*`).
PROMPTS = (*TEXT_ACTIONS, "evidence")


class Steps(Protocol):
    """The common steps a procedure's hooks build on (`flows.casework.CaseWork`)."""

    @property
    def uow(self) -> UnitOfWork: ...
    @property
    def policy(self) -> Policy: ...
    def now(self) -> datetime: ...
    def tz(self, person: Staff) -> ZoneInfo: ...
    def log(
        self,
        case: Case,
        actor: Staff | None,
        kind: str,
        data: dict[str, Any],
        step: str | None = None,
    ) -> None: ...
    def touch(self, case: Case) -> None: ...
    async def end_case(
        self,
        actor: Staff,
        case: Case,
        resolution: str,
        why: dict[str, Any],
        notice: tuple[str, dict[str, Any]],
    ) -> list[Outcome]: ...
    async def end_other_cases(
        self,
        actor: Staff,
        case: Case,
        resolution: str,
        why: dict[str, Any],
        notice: tuple[str, dict[str, Any]],
        keep: tuple[str, ...] = (),
    ) -> None: ...
    def tell(self, outcomes: list[Outcome]) -> None: ...
    async def asked(self, case: Case) -> list[Staff]: ...
    async def withdrawn(
        self, case: Case, actor: Staff, asked: list[Staff], view: CaseView | None = None
    ) -> list[Outcome]: ...
    def unfinished(self, case: Case, before: dict[str, Any] | None = None) -> dict[str, Any]: ...
    def field(self, case: Case) -> Field | None: ...
    async def show(self, actor: Staff, case: Case, **done: Any) -> ShowCase: ...
    def shown_again(self, person: Staff, case: Case) -> None: ...
    async def add_customer(self, actor: Staff, draft: Draft) -> Customer: ...


class Hooks:
    """What a procedure adds to the common steps; each does nothing unless overridden."""

    def guard_data(self, case: Case, draft: Draft, policy: Policy) -> dict[str, Any]:
        """What the machine's guards read when a completed form fires its trigger."""
        return {}

    async def customer_chosen(
        self, steps: Steps, actor: Staff, case: Case, customer: Customer
    ) -> None:
        """Log who the case is about, once they are attached to it."""
        steps.log(case, actor, "customer_chosen", {"customer": customer.id})

    async def filled(
        self, steps: Steps, actor: Staff, case: Case, field: Field, value: Any
    ) -> list[Outcome]:
        """React to an answer that needs more than storing."""
        return []

    async def completed(
        self, steps: Steps, actor: Staff, case: Case, trigger: str, draft: Draft
    ) -> Draft:
        """Carry out what a completed step means; return what its event logs."""
        return draft

    async def after_step(self, steps: Steps, actor: Staff, case: Case, trigger: str) -> None:
        """What follows a step once it is logged: the reminders it calls for, flags."""

    async def cancelled(self, steps: Steps, actor: Staff, case: Case) -> None:
        """What follows the case's cancelling, once it is logged: what it alone held up."""

    def unlogged(
        self, case: Case, answers: dict[str, Any], question: Field | None
    ) -> dict[str, Any]:
        """Of the answers entered at the case's step (its next `question` still to answer),
        those no event holds yet: all of them, as a step is logged when it completes."""
        return answers

    def stepped_back(self, case: Case, left: str) -> dict[str, Any]:
        """Undo on the case what the step left behind had recorded for the one it returns
        to (that one is done again); return what the back event logs of it. The case's
        draft is already the one of the step returned to: what stands there may be noted on
        it (an offer promised already)."""
        return {}

    async def decision_data(self, steps: Steps, case: Case, trigger: str) -> dict[str, Any]:
        """What the machine's guards read when a supervisor's decision fires its trigger."""
        return {}

    async def decided(self, steps: Steps, case: Case, trigger: str) -> None:
        """Prepare what follows a supervisor's decision on a state that waited for it."""

    def decided_field(self, case: Case, field: Field, trigger: str) -> None:
        """Record a decision on an approval asked in the middle of a step."""
        raise NotImplementedError(f"{field.name} is not decided by this procedure")

    async def request(self, steps: Steps, case: Case, subject: str) -> tuple[str, Draft]:
        """What a supervisor reads before deciding on `subject`: the request's kind and facts."""
        raise NotImplementedError(f"nothing to decide in a {case.kind}")

    def offer_standing(self, case: Case, policy: Policy) -> str | None:
        """How an offer to the customer stands where the card's words are said: "given"
        (within the staff limit), "approved" (above it, and approved), "promised" (said to
        the customer already, the card drawn again after stepping back), or None (nothing
        offered there, or its amount not known yet) — as the case recorded it, never from
        the limit now. A script with a variant for it (`…script_given`, `…script_approved`,
        `…script_promised`) is said in that variant: staff promise an amount only once it
        may be given, and only once. A procedure may name other standings its words have
        variants for (a complaint's fix made again: "reopened")."""
        return None

    def offered(self, case: Case) -> tuple[str, int] | None:
        """What the card's words offer the customer, as recorded (its type and amount), once
        both are: the words name it, so staff read out what was recorded rather than fill a
        gap. None where nothing is offered, or not yet."""
        return None

    def offers(self, case: Case, action: str) -> bool:
        """Tell whether the case's card offers a side action now, as far as this procedure's
        own forms go (the machine says whether its trigger may fire)."""
        return True

    async def side_action(
        self, steps: Steps, actor: Staff, case: Case, verb: str
    ) -> list[Outcome] | None:
        """Handle a side action of this procedure's own; None if the verb is not one."""
        return None

    async def text_action(
        self, steps: Steps, actor: Staff, case: Case, verb: str, text: str
    ) -> list[Outcome] | None:
        """Take the text a side action of this procedure's own asked for; None if not one."""
        return None


@dataclass(frozen=True)
class Procedure:
    """A flow plus the data and hooks that drive its conversation."""

    kind: str
    flow: Flow
    form: Callable[[str, Policy], tuple[Field, ...]]
    trigger: Callable[[str, Draft], str]
    number: Callable[[str], int | None]
    steps: int
    #: The side actions every card offers, row by row, when the step allows them.
    side_actions: tuple[tuple[str, ...], ...]
    hooks: Hooks = field(default_factory=Hooks)
    decisions: tuple[str, ...] = ()  # states that wait for a supervisor's decision
    #: What a supervisor decides on in a state: a whole state waiting (`decisions`) or an
    #: approval asked in the middle of a step (goodwill above the limit).
    subjects: dict[str, str] = field(default_factory=dict)
    #: A customer added on the spot is registered at once (a review or an interview needs
    #: their record), or with the rest of the intake (a complaint).
    adds_customer_at_once: bool = True

    def subject(self, state: str) -> str | None:
        """Name what a request in `state` asks a supervisor to decide, if anything."""
        return self.subjects.get(state)

    def offered(self, case: Case) -> list[list[str]]:
        """The side actions the case's card offers now, row by row."""
        rows = [[n for n in names if self._offers(case, n)] for names in self.side_actions]
        return [row for row in rows if row]

    def offers(self, case: Case, action: str) -> bool:
        """Tell whether the case's card offers the side action `action` now: one it does not
        (a forged button, or one drawn before) changes nothing."""
        return any(action in names for names in self.side_actions) and self._offers(case, action)

    def _offers(self, case: Case, action: str) -> bool:
        writing = bool(case.draft.get(SIDE_FORM))  # an incident: left by dropping it, not
        if action == "drop_incident":  # by stepping the case back
            return writing
        trigger = ACTION_TRIGGERS.get(action)
        if trigger is not None:  # and what the procedure's own forms allow (`hooks.offers`)
            allowed = self.flow.may(case, trigger) and self.hooks.offers(case, action)
            return allowed and not (writing and action == "back")
        if action == "incident":  # about the customer, and not while one is being written
            return case.customer_id is not None and not writing
        return self.hooks.offers(case, action)


#: What can be decided, and the verdicts each subject offers.
VERDICTS_BY_SUBJECT: dict[str, tuple[str, ...]] = {
    "compensation": ("approved", "declined"),
    "termination": ("approved", "declined", "later"),
    "goodwill": ("approved", "declined"),
}
