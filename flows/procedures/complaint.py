"""The complaint: five recovery steps, in order — its machine, its forms, its hooks.

apologise -> fix -> empathise -> compensate -> follow up (domain brief, section 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from transitions import EventData

from flows import lifecycle, reminders
from flows.forms import CUSTOMER_FIELDS, Draft, Field, begin_wait, waiting_version
from flows.lifecycle import CUSTOMER_LIFE
from flows.machine import Flow, data_of
from flows.model import Case, CaseEvent, CaseKind, Customer, Staff
from flows.policy import Policy
from flows.procedures.base import ENDING, ESCALATING, RECORDING, Hooks, Procedure, Steps
from flows.reminders import Kind


class Step(StrEnum):
    """Every state a complaint case can be in."""

    intake = "intake"
    apologise = "apologise"
    fix = "fix"
    empathise = "empathise"
    compensate = "compensate"
    awaiting_approval = "awaiting_approval"
    follow_up = "follow_up"
    awaiting_follow_up = "awaiting_follow_up"
    closed = "closed"
    cancelled = "cancelled"


#: The five steps staff walk, numbered 1..5 in what they see.
FIVE_STEPS: tuple[Step, ...] = (
    Step.apologise,
    Step.fix,
    Step.empathise,
    Step.compensate,
    Step.follow_up,
)

#: Where a waiting state belongs in the five steps.
STEP_OF_STATE: dict[str, Step] = {
    **{str(s): s for s in FIVE_STEPS},
    Step.awaiting_approval: Step.compensate,
    Step.awaiting_follow_up: Step.follow_up,
}

OPEN_STATES = tuple(s for s in Step if s not in (Step.closed, Step.cancelled))
#: How a case cancelled as a mistake (the wrong customer, a duplicate) ended: a complaint
#: that ended so is not one the customer made. One closed because the customer left or was
#: let go meanwhile (`customer_defected`, `customer_terminated`) was made, and counts.
MISTAKEN = "cancelled"
#: How a case of any kind ended early for another reason its owner gave (the customer
#: withdrew the complaint, could not be reached, it went to another team): work done, so
#: it counts in every figure as any case that ended; a complaint so ended was made.
ENDED_EARLY = "ended_early"


def counted(case: Case) -> bool:
    """Tell whether a complaint counts as one the customer made: recorded (past its intake,
    which sets its severity) and not cancelled as a mistake."""
    return case.severity is not None and case.resolution != MISTAKEN


def needs_approval(event: EventData) -> bool:
    """Tell whether the case's compensation, this offer included, goes above the staff limit."""
    data = data_of(event)
    offered = int(data.get("value") or 0)
    return offered > 0 and offered + int(data.get("given") or 0) > int(data.get("limit", 0))


TRANSITIONS: list[dict[str, object]] = [
    {"trigger": "open", "source": Step.intake, "dest": Step.apologise},
    {"trigger": "apologised", "source": Step.apologise, "dest": Step.fix},
    {"trigger": "fixed", "source": Step.fix, "dest": Step.empathise},
    {"trigger": "empathised", "source": Step.empathise, "dest": Step.compensate},
    {
        "trigger": "compensated",
        "source": Step.compensate,
        "dest": Step.awaiting_approval,
        "conditions": needs_approval,
    },
    {"trigger": "compensated", "source": Step.compensate, "dest": Step.follow_up},
    {"trigger": "approved", "source": Step.awaiting_approval, "dest": Step.follow_up},
    {"trigger": "declined", "source": Step.awaiting_approval, "dest": Step.compensate},
    {"trigger": "scheduled", "source": Step.follow_up, "dest": Step.awaiting_follow_up},
    {"trigger": "satisfied", "source": Step.awaiting_follow_up, "dest": Step.closed},
    {"trigger": "still_unhappy", "source": Step.awaiting_follow_up, "dest": Step.fix},
    {
        "trigger": "unreachable",
        "source": Step.awaiting_follow_up,
        "dest": Step.awaiting_follow_up,
    },
    {"trigger": "back", "source": Step.fix, "dest": Step.apologise},
    {"trigger": "back", "source": Step.empathise, "dest": Step.fix},
    {"trigger": "back", "source": Step.compensate, "dest": Step.empathise},
    {"trigger": "back", "source": Step.awaiting_approval, "dest": Step.compensate},
    {"trigger": "back", "source": Step.follow_up, "dest": Step.compensate},
    {"trigger": "back", "source": Step.awaiting_follow_up, "dest": Step.follow_up},
    {"trigger": "cancel", "source": list(OPEN_STATES), "dest": Step.cancelled},
]

COMPLAINT = Flow(
    name="complaint",
    states=Step,
    transitions=TRANSITIONS,
    initial=Step.intake,
    final=(Step.closed, Step.cancelled),
)


def step_number(state: str) -> int | None:
    """Return 1..5 for a state inside the five steps, None otherwise."""
    step = STEP_OF_STATE.get(state)
    return FIVE_STEPS.index(step) + 1 if step else None


# ------------------------------------------------------------------------ forms

CATEGORIES = ("price_quality", "staff_attitude", "delay", "defective", "billing", "other")
SEVERITIES = ("low", "medium", "high")
REACTIONS = ("calm", "upset", "angry")
FIX_STATUSES = ("fixed_now", "in_progress")
OUTCOMES = ("satisfied", "still_unhappy", "unreachable")
NO_COMPENSATION = "none"
#: How the compensation recorded stands at the follow-up, noted on the case's draft when it
#: changes: "given" (within the limit), "approved" (above it, by a supervisor), "promised"
#: (said to the customer when the follow-up was agreed, and stepped back to since).
OFFER = "_offer"
#: The event that says a customer's at-risk flag raised by the rule was lifted, the complaint
#: that raised it cancelled.
AT_RISK_LIFTED = "at_risk_lifted"
#: The compensation a supervisor declined, noted on the draft of the compensation step it
#: goes back to: the words of that step own it to the customer until another is recorded.
DECLINED = "_declined"
#: How the words of a fix stand once the case was reopened (`ComplaintHooks.offer_standing`).
REOPENED = "reopened"

#: The questions that book a follow-up: never before a fix promised (`CaseWork.after_the_fix`).
FOLLOW_UP_TIMES = ("due", "next_due")
#: Times typed that the customer may have been given: a follow-up's and a promised fix's.
CUSTOMER_TIMES = (*FOLLOW_UP_TIMES, "promised_at")

INTAKE: tuple[Field, ...] = (
    *CUSTOMER_FIELDS,
    Field("summary", "text", customers_words=True),
    Field("category", "choice", CATEGORIES),
    Field("severity", "choice", SEVERITIES),
)


def compensate_form(catalogue: Sequence[str]) -> tuple[Field, ...]:
    """Build the compensation step from the company's catalogue: beside what an offer is
    worth, *No compensation* where the catalogue has it (offering nothing is said so)."""
    instead = tuple(o for o in catalogue if o == NO_COMPENSATION)
    return (
        Field("type", "choice", tuple(catalogue)),
        Field(
            "value",
            "money",
            instead,
            applies=lambda d: d.get("type") != NO_COMPENSATION,
            offer=True,
        ),
        Field("reason", "text", applies=lambda d: d.get("type") == NO_COMPENSATION),
    )


STEP_FORMS: dict[str, tuple[Field, ...]] = {
    Step.intake: INTAKE,
    Step.apologise: (
        Field("reaction", "choice", REACTIONS),
        Field("note", "text", optional=True, customers_words=True),
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
    Step.empathise: (Field("what_mattered", "text", customers_words=True),),
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


def completing_trigger(state: str, draft: Draft) -> str:
    """Name the trigger that a completed form in `state` fires."""
    return COMPLETES.get(state) or str(draft["outcome"])


# ------------------------------------------------------------------------ hooks


class ComplaintHooks(Hooks):
    """What the five steps record on the case, and the reminders they call for."""

    def guard_data(self, case: Case, draft: Draft, policy: Policy) -> dict[str, Any]:
        """The compensation offered, what was given before, and the staff limit."""
        return {
            "value": draft.get("value") or 0,
            "given": case.compensation_total,
            "limit": policy.limit_for(case.currency),
        }

    def offer_standing(self, case: Case, policy: Policy) -> str | None:
        """At the follow-up, the compensation recorded, as the case recorded it (`OFFER`):
        given at once within the limit, given once a supervisor approved it, or promised
        already — the follow-up agreed with it, then stepped back to. Read from the case,
        never from the limit now: a limit changed since does not change what was said.
        Before the follow-up its amount is not known, or waits for a supervisor; nothing is
        promised of *no compensation*. A fix made again once the customer was still unhappy
        at the follow-up is "reopened": its words own that the last one fell short; the
        compensation asked again after a supervisor declined one is "declined": its words
        tell the customer, as promised, that the one asked for was not approved."""
        if case.state == Step.fix and case.reopen_count:
            return REOPENED
        if case.state == Step.compensate and DECLINED in case.draft:
            return "declined"
        if case.state != Step.follow_up or not case.compensation_value:
            return None
        return str(case.draft.get(OFFER) or "given")  # older cases: noted by migration 0021

    def offered(self, case: Case) -> tuple[str, int] | None:
        """The compensation recorded, while it is asked for and at the follow-up; the one
        declined, while another is chosen in its place."""
        declined = case.draft.get(DECLINED)
        if case.state == Step.compensate and isinstance(declined, list):
            return str(declined[0]), int(declined[1])
        kind = case.compensation_type
        if case.state not in (Step.awaiting_approval, Step.follow_up):
            return None
        if kind is None or kind == NO_COMPENSATION or not case.compensation_value:
            return None
        return kind, case.compensation_value

    async def customer_chosen(
        self, steps: Steps, actor: Staff, case: Case, customer: Customer
    ) -> None:
        """The intake goes on: the customer is the case's from now on (listed, forgettable)."""
        case.draft = {**case.draft, "customer": customer.id}

    async def completed(
        self, steps: Steps, actor: Staff, case: Case, trigger: str, draft: Draft
    ) -> Draft:
        """Copy what the step recorded onto the case."""
        now = steps.now()
        if trigger == "open":
            await self._intake(steps, actor, case, draft)
        elif trigger == "fixed":
            promised = draft.get("promised_at")
            case.promised_fix_at = datetime.fromisoformat(promised) if promised else None
        elif trigger == "compensated":
            case.compensation_type = draft["type"]
            case.compensation_value = draft.get("value") or 0
            if case.state != Step.awaiting_approval:  # within the limit: given now
                _give(case)
                case.draft = {**case.draft, OFFER: "given"}
        elif trigger in ("scheduled", "unreachable"):
            case.follow_up_due_at = datetime.fromisoformat(draft.get("due") or draft["next_due"])
            case.overdue_since = None
            begin_wait(case)  # the version its reminder's buttons carry
        elif trigger == "still_unhappy":
            case.reopen_count += 1
            case.follow_up_due_at = case.overdue_since = None
        elif trigger == "satisfied":
            case.resolution, case.closed_at, case.follow_up_due_at = "resolved", now, None
            case.overdue_since = None
        return draft

    @staticmethod
    async def _intake(steps: Steps, actor: Staff, case: Case, draft: Draft) -> None:
        draft.setdefault("customer", case.customer_id)  # chosen before the draft was cleared
        if draft["customer"] == "new":
            draft["customer"] = (await steps.add_customer(actor, draft)).id
        case.customer_id = int(draft["customer"])
        case.summary, case.category = draft["summary"], draft["category"]
        case.severity = draft["severity"]

    async def after_step(self, steps: Steps, actor: Staff, case: Case, trigger: str) -> None:
        """Remind the owner of a promised fix or the follow-up agreed; an intake may flag the
        customer at risk."""
        if trigger == "open":
            await flag_at_risk_if_due(steps, actor, case)
        owner = await steps.uow.staff.get(case.owner_id)
        assert owner is not None
        since = None
        if trigger == "fixed" and case.promised_fix_at:
            target, kind = case.promised_fix_at, Kind.fix_due
            since = case.events_count  # the event that made the promise (`promise_number`)
        elif trigger in ("scheduled", "unreachable") and case.follow_up_due_at:
            target, kind = case.follow_up_due_at, Kind.follow_up_due
            since = waiting_version(case)  # the wait it is for: a later one replaces it
        else:
            return
        hours, tz = steps.policy.hours, steps.tz(owner)
        steps.uow.reminders.add(
            reminders.for_owner(kind, case, target, owner, hours, tz, steps.now(), since)
        )

    def stepped_back(self, case: Case, left: str) -> dict[str, Any]:
        """Back from the follow-up agreed: it is agreed no more, so neither due nor overdue
        (as after a reopen) — its reminders are moot, and the one agreed next is on time;
        the compensation it came with was promised then, so its card says it as made.
        Back to the compensation: the offer recorded is withdrawn, so that the one made
        again is counted alone (a given one leaves the total; one waiting for a supervisor
        was never in it)."""
        if left == Step.awaiting_follow_up:
            case.follow_up_due_at = case.overdue_since = None
            if case.compensation_value:  # said when the follow-up was agreed: not again
                case.draft = {**case.draft, OFFER: "promised"}
            return {}
        if left not in (Step.follow_up, Step.awaiting_approval) or case.compensation_type is None:
            return {}
        value = case.compensation_value or 0
        if left == Step.follow_up:
            case.compensation_total -= value
            case.compensation_given = case.compensation_given[:-1]
        withdrawn = {"type": case.compensation_type, "value": value}
        case.compensation_type, case.compensation_value = None, None
        return {"withdrawn": withdrawn}

    async def cancelled(self, steps: Steps, actor: Staff, case: Case) -> None:
        """A complaint cancelled (a duplicate, a mistake) is no complaint the customer made:
        an at-risk flag it raised by the rule goes if the rule no longer holds without it."""
        await lift_at_risk_if_undue(steps, actor, case)

    async def decided(self, steps: Steps, case: Case, trigger: str) -> None:
        """An approved compensation is given; a declined one is proposed afresh."""
        if trigger == "declined":
            declined = [case.compensation_type, case.compensation_value]
            case.draft = {**case.draft, DECLINED: declined}
            case.compensation_type, case.compensation_value = None, None
        elif trigger == "approved":
            _give(case)
            case.draft = {**case.draft, OFFER: "approved"}

    async def request(self, steps: Steps, case: Case, subject: str) -> tuple[str, Draft]:
        """The compensation asked for, and what was given on the case before it."""
        facts = {
            "type": case.compensation_type,
            "value": case.compensation_value,
            "given": case.compensation_total,
        }
        return "approval_request", facts


#: The events that make a promise of a fix: recorded in progress, or promised again.
PROMISES = ("fixed", "fix_rescheduled")


def promise_number(events: Sequence[CaseEvent]) -> int | None:
    """The number of the event that made the promise of a fix standing now (None: none
    made). A promised-fix reminder's buttons carry it, as a follow-up's carry the version
    its wait was set at, so that they answer the promise they were sent for and no later
    one (made again after a reopen, or from another reminder)."""
    promised = (e for e in reversed(events) if e.kind in PROMISES and e.data.get("promised_at"))
    return next((e.seq for e in promised), None)


def _give(case: Case) -> None:
    """Give the compensation recorded: into the total, and the list of offers given."""
    value = case.compensation_value or 0
    case.compensation_total += value
    case.compensation_given = [*case.compensation_given, [case.compensation_type, value]]


def given_by_type(given: Iterable[Sequence[Any]]) -> dict[str, int]:
    """Sum offers given ([type, value], in order) type by type; *no compensation* counts
    only for a complaint given nothing else."""
    totals: dict[str, int] = {}
    for kind, value in given:
        totals[str(kind)] = totals.get(str(kind), 0) + int(value or 0)
    if len(totals) > 1:
        totals.pop(NO_COMPENSATION, None)
    return totals


async def flag_at_risk_if_due(steps: Steps, actor: Staff, case: Case) -> None:
    """Flag a customer at risk after too many complaints in the configured window."""
    customer = await steps.uow.customers.hold(case.customer_id or 0)
    if customer is None or not CUSTOMER_LIFE.may(customer, "flag_at_risk"):
        return
    policy = steps.policy
    since = steps.now() - timedelta(days=policy.at_risk_days)
    count = await steps.uow.cases.complaints_since(customer.id or 0, since)
    if count >= policy.at_risk_complaints:
        lifecycle.flag(customer, steps.now())
        steps.log(case, actor, "at_risk", {"complaints": count, "days": policy.at_risk_days})


async def lift_at_risk_if_undue(steps: Steps, actor: Staff, case: Case) -> None:
    """Lift a customer's at-risk flag raised by the rule (`flag_at_risk_if_due`) when the
    complaints counted in the window it was raised in no longer reach the rule. A flag
    someone raised by hand, or after a check-in, was judged, and stays."""
    customer = await steps.uow.customers.hold(case.customer_id or 0)
    if customer is None or not CUSTOMER_LIFE.may(customer, "stays"):
        return
    if customer.at_risk_since is None or customer.at_risk_by is not None:
        return
    policy = steps.policy
    since = customer.at_risk_since - timedelta(days=policy.at_risk_days)
    count = await steps.uow.cases.complaints_since(customer.id or 0, since)
    if count < policy.at_risk_complaints:
        lifecycle.move(customer, "stays")
        steps.log(case, actor, AT_RISK_LIFTED, {"complaints": count, "days": policy.at_risk_days})


PROCEDURE = Procedure(
    kind=CaseKind.complaint,
    flow=COMPLAINT,
    form=lambda state, policy: form_for(state, policy.compensation_catalogue),
    trigger=completing_trigger,
    number=step_number,
    steps=len(FIVE_STEPS),
    side_actions=(RECORDING, ESCALATING, ("back",), ENDING),
    hooks=ComplaintHooks(),
    decisions=(Step.awaiting_approval,),
    subjects={Step.awaiting_approval: "compensation"},
    adds_customer_at_once=False,
)
