"""The problem-customer review: a ladder before any termination, then a scripted goodbye.

reassess -> educate -> renegotiate -> migrate -> awaiting_decision -> termination_conversation
(domain brief, sections 2-4). Termination is the last rung, and only a supervisor's
approval opens the conversation; every other route ends with the customer retained.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from enum import StrEnum
from itertools import pairwise
from typing import Any

from transitions import EventData

from flows import lifecycle
from flows.errors import Refused
from flows.forms import (
    ASKED,
    ASKED_BY,
    CUSTOMER_FIELDS,
    Draft,
    Field,
    begin_wait,
    side_form,
)
from flows.hours import add_months
from flows.lifecycle import CUSTOMER_LIFE
from flows.machine import Flow, data_of
from flows.model import (
    Case,
    CaseEvent,
    CaseKind,
    Customer,
    CustomerKind,
    IncidentKind,
    Reminder,
    Staff,
)
from flows.outcomes import Notify, Outcome, Say
from flows.policy import Policy
from flows.procedures.base import ENDING, ESCALATING, RECORDING, Hooks, Procedure, Steps
from flows.reminders import Kind


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
    cancelled = "cancelled"  # ended because the customer left or was let go meanwhile


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
#: Documented conduct that allows going straight to a decision, with the situation (of the
#: seven) that it is.
GROUNDS = {
    IncidentKind.abuse_of_staff: "abuses_staff",
    IncidentKind.unethical_proposal: "unethical",
}
OUTCOMES = ("resolved", "not_resolved", "wait")
GOODWILL = ("refund_last_period", "cancel_final_invoice", "other_goodwill")
#: The goodwill of another kind: what it is, typed, names it wherever the offer is said.
OTHER_GOODWILL = "other_goodwill"
GESTURE = "goodwill_gesture"
WAIT_TIMES = ("in_a_week", "in_2_weeks", "in_a_month")
OWN_ALTERNATIVE = "own_alternative"
#: Until when a rung set to wait and see waits: kept in the draft the wait starts afresh, so
#: that the card says it until news is recorded.
WAITING_UNTIL = "_waiting_until"


def has_grounds(event: EventData) -> bool:
    """Tell whether documented abuse or unethical conduct allows skipping the ladder."""
    return bool(data_of(event).get("grounds"))


def _keeps_grounds(draft: Draft, reasons: list[str]) -> bool:
    """Tell whether the reasons of a decision gone to straight keep a situation its
    documented grounds show (any of them, for a draft from before they were named)."""
    if not draft.get("straight"):
        return True
    grounds = draft.get("grounds")
    shown = grounds if isinstance(grounds, list) else GROUNDS.values()
    return any(reason in shown for reason in reasons)


def caution_pending(draft: Draft) -> bool:
    """Tell whether a long-standing customer's caution still waits for its answer."""
    return bool(draft.get("long_standing")) and "caution" not in draft


def cautioning(event: EventData) -> bool:
    """Tell whether the review must answer the caution before leaving its rung."""
    return caution_pending(getattr(event.model, "draft", None) or {})


def _left(rung: Rung) -> Callable[[EventData], bool]:
    """Whether a declined decision returns to `rung`: the one the review left for it."""

    def condition(event: EventData) -> bool:
        return data_of(event).get("left", Rung.migrate) == rung

    condition.__name__ = f"left_{rung}"
    return condition


_rungs = [str(r) for r in LADDER]
_open = [str(r) for r in Rung if r not in (Rung.retained, Rung.terminated, Rung.cancelled)]
TRANSITIONS: list[dict[str, Any]] = [
    *[{"trigger": "next", "source": a, "dest": b} for a, b in pairwise(LADDER)],
    *[
        {"trigger": "skip", "source": a, "dest": b, "unless": cautioning}
        for a, b in pairwise(LADDER)
    ],
    {"trigger": "resolved", "source": _rungs, "dest": Rung.retained},
    {"trigger": "wait", "source": _rungs, "dest": "="},
    {"trigger": "request_decision", "source": Rung.migrate, "dest": Rung.awaiting_decision},
    {
        "trigger": "straight_to_decision",
        "source": _rungs,
        "dest": Rung.awaiting_decision,
        "conditions": has_grounds,
        "unless": cautioning,
    },
    {
        "trigger": "approved",
        "source": Rung.awaiting_decision,
        "dest": Rung.termination_conversation,
    },
    *[
        {
            "trigger": "declined",
            "source": Rung.awaiting_decision,
            "dest": r,
            "conditions": _left(r),
        }
        for r in LADDER
    ],
    {"trigger": "later", "source": Rung.awaiting_decision, "dest": "="},
    *[  # the request taken back by whoever made it: back to the rung it was made from
        {
            "trigger": "withdraw",
            "source": Rung.awaiting_decision,
            "dest": r,
            "conditions": _left(r),
        }
        for r in LADDER
    ],
    {"trigger": "concluded", "source": Rung.termination_conversation, "dest": Rung.terminated},
    {"trigger": "cancel", "source": _open, "dest": Rung.cancelled},
]

REVIEW = Flow(
    name="termination",
    states=Rung,
    transitions=TRANSITIONS,
    initial=Rung.reassess,
    final=(Rung.retained, Rung.terminated, Rung.cancelled),
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
        Field("appreciate", "text", customers_words=True),
        Field("frame", "text", customers_words=True),
        Field("goodwill", "choice", GOODWILL),
        Field(GESTURE, "text", applies=lambda d: d.get("goodwill") == OTHER_GOODWILL),
        Field("goodwill_value", "money", offer=True),
        Field(
            "goodwill_approval", "approval", applies=lambda d: bool(d.get("goodwill_over_limit"))
        ),
        Field("goodwill_response", "text", customers_words=True),
        Field("apologise", "text", customers_words=True),
        Field("alternative", "choice", (*partners, OWN_ALTERNATIVE)),
        Field(
            "own_alternative", "text", applies=lambda d: d.get("alternative") == OWN_ALTERNATIVE
        ),
        Field("alternatives", "text", customers_words=True),
    )


#: The termination conversation move by move, with the fields each records: each move is
#: logged when it is made, so the timeline shows when each was said.
MOVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("prepare", ("renewal_date", "prepared")),
    ("appreciate", ("appreciate",)),
    ("frame", ("frame",)),
    (
        "goodwill",
        ("goodwill", GESTURE, "goodwill_value", "goodwill_approval", "goodwill_response"),
    ),
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


def waiting_until(case: Case) -> str | None:
    """Until when the rung waits and sees, while nothing is recorded on it since (ISO)."""
    if case.state not in _rungs or "rung_action" in case.draft:
        return None
    until = case.draft.get(WAITING_UNTIL)
    return str(until) if until else None


def rung_number(state: str) -> int | None:
    """Return 1..4 for a ladder rung, None otherwise."""
    return LADDER.index(Rung(state)) + 1 if state in _rungs else None


# ------------------------------------------------------------------------ hooks

#: Goodwill fields cleared when a supervisor declines the amount.
GOODWILL_FIELDS = (
    "goodwill",
    GESTURE,
    "goodwill_value",
    "goodwill_over_limit",
    "goodwill_approval",
)
#: The goodwill a supervisor declined, [type, value]: the goodwill asked again owns it to the
#: customer, told it was being asked for, until another amount is recorded.
GOODWILL_DECLINED = "_goodwill_declined"


def _gesture(draft: Draft) -> str | None:
    """The goodwill chosen, as the offer names it: what it is, as typed, when of another
    kind ("a free month of maintenance"); else its option."""
    kind = draft.get("goodwill")
    return str(draft.get(GESTURE) or kind) if kind else None


def _declined_goodwill(draft: Draft) -> tuple[str, int] | None:
    """The goodwill declined, while another is still to be recorded in its place."""
    declined = draft.get(GOODWILL_DECLINED)
    if not isinstance(declined, list) or "goodwill_value" in draft:
        return None
    return str(declined[0]), int(declined[1])


class ReviewHooks(Hooks):
    """The ladder's own steps: caution, skipping a rung, going straight to a decision; the
    goodwill limit, the notice date and the moves of the termination conversation."""

    def guard_data(self, case: Case, draft: Draft, policy: Policy) -> dict[str, Any]:
        """Whether documented grounds allow going straight to a decision."""
        return {"grounds": draft.get("grounds", False)}

    def unlogged(
        self, case: Case, answers: dict[str, Any], question: Field | None
    ) -> dict[str, Any]:
        """In the termination conversation, each move is logged once made: only the move
        under way (the one its question belongs to) is not."""
        if case.state != Rung.termination_conversation:
            return answers
        move = move_of(question.name) if question is not None else None
        under_way = move[1] if move is not None else ()
        return {k: v for k, v in answers.items() if k in under_way}

    def offer_standing(self, case: Case, policy: Policy) -> str | None:
        """The goodwill amount above the limit, once a supervisor approved it (within the
        limit it is given as soon as its amount is recorded: the words' own form); or
        declined, while another is chosen: its words say so, as promised."""
        if case.draft.get("goodwill_approval") == "approved":
            return "approved"
        return "declined" if _declined_goodwill(case.draft) else None

    def offered(self, case: Case) -> tuple[str, int] | None:
        """The goodwill of the goodbye's third move, once its amount is recorded; the one
        declined, while another is chosen in its place."""
        kind, value = _gesture(case.draft), case.draft.get("goodwill_value")
        return (kind, int(value)) if kind and value else _declined_goodwill(case.draft)

    async def customer_chosen(
        self, steps: Steps, actor: Staff, case: Case, customer: Customer
    ) -> None:
        """One review of a customer at a time; a long-standing customer (their anniversary
        reached, in the staff member's time zone) brings the caution before the first rung."""
        for other in await steps.uow.cases.open_for_customer(customer.id or 0):
            if other.kind == CaseKind.problem_review and other.id != case.id:
                raise Refused("review.already_open", case=other.id, name=customer)
        today = steps.now().astimezone(steps.tz(actor)).date()
        since = customer.since
        if since is not None and full_years(since, today) >= steps.policy.long_standing_years:
            case.draft = {**case.draft, "long_standing": True}
        await super().customer_chosen(steps, actor, case, customer)

    async def filled(
        self, steps: Steps, actor: Staff, case: Case, field: Field, value: Any
    ) -> list[Outcome]:
        """Goodwill above the limit waits for approval; a move is logged once made; a
        renewal date sets the notice date."""
        if field.name == "reasons" and not _keeps_grounds(case.draft, value):
            raise Refused("review.grounds_not_ticked", case=case.id)
        if field.name == "goodwill_value" and int(value) > steps.policy.limit_for(case.currency):
            case.draft = {**case.draft, "goodwill_over_limit": True}
        if case.state == Rung.termination_conversation:
            _log_move_if_made(steps, actor, case, field)
        if field.name == "renewal_date":
            owner = await _owner(steps, case)  # the date was read on their calendar
            return [_plan_notice(steps, owner, case, date.fromisoformat(value))]
        return []

    async def completed(
        self, steps: Steps, actor: Staff, case: Case, trigger: str, draft: Draft
    ) -> Draft:
        """A rung resolved keeps the customer; a wait comes back later; a conversation held
        ends the relationship (its moves were logged one by one)."""
        now = steps.now()
        if trigger == "resolved":
            case.resolution, case.closed_at = "retained", now
        elif trigger == "wait":
            until = draft.get("wait_until") or draft.get("caution_until")
            if until:
                since = begin_wait(case)  # a later wait on the rung replaces this one
                case.draft = {**case.draft, WAITING_UNTIL: until}
                tz = steps.tz(await _owner(steps, case))  # the wait was read on their calendar
                steps.uow.reminders.add(
                    Reminder(
                        kind=Kind.ladder_check,
                        due_at=steps.policy.hours.next_open(datetime.fromisoformat(until), tz),
                        recipient_id=case.owner_id,
                        case_id=case.id,
                        created_at=now,
                        payload={"state": case.state, "waiting_since": since},
                    )
                )
        elif trigger == "concluded":
            case.resolution, case.closed_at = "terminated", now
            _give_goodwill(case, draft)
            await _terminate(steps, actor, case)
            return {}
        return draft

    async def decision_data(self, steps: Steps, case: Case, trigger: str) -> dict[str, Any]:
        """A declined decision returns to the rung the review left to ask for it."""
        if trigger != "declined":
            return {}
        asking = await _asking(steps, case)
        return {"left": asking.step if asking is not None else Rung.migrate}

    async def decided(self, steps: Steps, case: Case, trigger: str) -> None:
        """An approved termination opens the conversation for the customer's kind; a
        declined one goes back to the rung the request was made from, with the caution
        answered there (`_caution_asked`). An incident the owner is writing meanwhile stays
        open (`side_form`), in either case."""
        writing = side_form(case.draft)
        if trigger == "approved":
            customer = await steps.uow.customers.get(case.customer_id or 0)
            business = bool(customer and customer.kind == CustomerKind.business)
            case.draft = {"business": business, **writing}
        elif trigger == "declined":
            case.draft = {**await _caution_asked(steps, case), **writing}

    def decided_field(self, case: Case, field: Field, trigger: str) -> None:
        """Answer the goodwill approval asked in the middle of the conversation."""
        if trigger == "approved":
            case.draft = {k: v for k, v in case.draft.items() if k not in ASKED}
            case.draft[field.name] = "approved"
        elif trigger == "declined":
            declined = [_gesture(case.draft), case.draft.get("goodwill_value")]
            case.draft = {
                k: v for k, v in case.draft.items() if k not in (*GOODWILL_FIELDS, *ASKED)
            }
            case.draft[GOODWILL_DECLINED] = declined
        else:
            raise Refused("approval.already_decided", case=case.id)

    async def request(self, steps: Steps, case: Case, subject: str) -> tuple[str, Draft]:
        """A goodwill amount, or the grounds of a termination: reasons and the ladder."""
        if subject == "goodwill":
            draft = case.draft
            return "goodwill_approval_request", {
                "type": _gesture(draft),
                "value": draft.get("goodwill_value"),
            }
        return "decision_request", await _summary(steps, case)

    def offers(self, case: Case, action: str) -> bool:
        """Going straight to a decision is offered on the ladder's rungs only, once a
        long-standing customer's caution is answered, and not while its form is open; nor is
        skipping the rung then (that form is the rung's way on). Neither is offered before
        the customer is chosen: a rung is about them, so none is passed over for nobody."""
        draft = case.draft
        if action == "withdraw":  # a request waiting for a supervisor, taken back
            return case.state == Rung.awaiting_decision or (
                case.state == Rung.termination_conversation and ASKED_BY in draft
            )
        if action in ("skip_reason", "straight") and case.customer_id is None:
            return False
        if action == "to_rung":  # the way back from that form, to the rung's own question
            return case.state in LADDER and bool(draft.get("straight"))
        if action == "skip_reason":
            return not draft.get("straight")
        if action != "straight":
            return True
        return case.state in LADDER and not caution_pending(draft) and not draft.get("straight")

    async def side_action(
        self, steps: Steps, actor: Staff, case: Case, verb: str
    ) -> list[Outcome] | None:
        """Skip the ladder, allowed only with documented abuse of staff or unethical conduct;
        or leave that decision's form for the rung (`to_rung`), nothing ticked in it kept."""
        if verb == "to_rung":  # offered only while that form is open (`offers`)
            before = case.draft
            case.draft = _standing(before)
            steps.touch(case)
            left = steps.unfinished(case, {k: before[k] for k in DECIDING if k in before})
            if left:  # what was ticked and typed in the form is dropped, not lost
                steps.log(case, actor, "to_rung", left)
            return [await steps.show(actor, case)]
        if verb == "withdraw":  # offered only while a request waits (`offers`)
            return await self._withdraw(steps, actor, case)
        if verb != "straight":
            return None
        if case.state not in LADDER:
            raise Refused("error.not_now", case=case.id)
        if case.draft.get("straight"):  # pressed again: what is ticked so far stays ticked
            raise Refused("review.decision_form_open", case=case.id)
        incidents = await steps.uow.incidents.for_customer(case.customer_id or 0)
        shown = {GROUNDS[IncidentKind(i.kind)] for i in incidents if i.kind in GROUNDS}
        if not shown:
            raise Refused("review.no_grounds", case=case.id)
        if caution_pending(case.draft):
            raise Refused("review.caution_first", case=case.id)
        grounds = [reason for reason in REASONS if reason in shown]  # one must be ticked
        case.draft = {**_standing(case.draft), "straight": True, "grounds": grounds}
        steps.touch(case)
        return [await steps.show(actor, case)]

    async def _withdraw(self, steps: Steps, actor: Staff, case: Case) -> list[Outcome]:
        """Take back the request waiting for a supervisor, made by mistake: a termination
        asked for goes back to the rung it was asked from, a goodwill offer above the limit
        to the choice of a gesture (the offer is logged as withdrawn). The supervisors
        asked are told nothing is left to decide, and whoever else asked or owns the case
        (their copies of the request say it no longer waits: `storage.request_copies`)."""
        step, draft = case.state, case.draft
        asked = await steps.asked(case)
        concerned = {p.id for p in asked} | {actor.id}
        others: list[tuple[str, Staff]] = []  # the owner, and whoever else asked: not deciders
        for kind, person_id in (("yours", case.owner_id), ("asked", draft.get(ASKED_BY))):
            person = await steps.uow.staff.get(int(person_id)) if person_id else None
            if person is not None and person.id not in concerned:
                concerned.add(person.id)
                if person.active:
                    others.append((f"request_withdrawn_{kind}", person))
        logged: Draft = {}
        if step == Rung.awaiting_decision:
            REVIEW.fire(case, "withdraw", **await self.decision_data(steps, case, "declined"))
            # back at the rung as a decline leaves it; an incident being written stays
            case.draft = {**await _caution_asked(steps, case), **side_form(draft)}
        else:
            logged = {f: draft[f] for f in ("goodwill", GESTURE, "goodwill_value") if f in draft}
            case.draft = {k: v for k, v in draft.items() if k not in (*GOODWILL_FIELDS, *ASKED)}
        steps.touch(case)
        steps.log(case, actor, "withdraw", {**logged, "to": case.state}, step)
        shown = await steps.show(actor, case)
        # Those the request waited for are told nothing is left to decide; its owner (and a
        # supervisor who asked on their behalf), that it is back at its step, to carry on.
        told: list[Outcome] = await steps.withdrawn(case, actor, asked, shown.view)
        told += [Notify(p, kind, shown.view, {"by": actor.name}) for kind, p in others]
        for _, person in others:  # their card of it is drawn at that step too
            steps.shown_again(person, case)
        # said as it is: with nobody asked (a lone supervisor's own review), nobody was told
        said = "review.withdrawn" if told else "review.withdrawn_untold"
        return [Say(said, {"case": case.id}), shown, *told]

    async def text_action(
        self, steps: Steps, actor: Staff, case: Case, verb: str, text: str
    ) -> list[Outcome] | None:
        """Move past a rung without trying it; the reason is logged."""
        if verb != "skip_reason":
            return None
        if not REVIEW.may(case, "skip"):  # the caution first, or the last rung
            refusal = "review.caution_first" if caution_pending(case.draft) else "error.not_now"
            raise Refused(refusal, case=case.id)
        step, answered, typed = case.state, _caution(case.draft), _typed_on_rung(case.draft)
        REVIEW.fire(case, "skip")
        case.draft = side_form(case.draft)  # an incident being written stays
        steps.touch(case)
        left = steps.unfinished(case, typed)  # what was typed on the rung, kept once
        data = {"reason": text, **answered, **left, "to": case.state}
        steps.log(case, actor, "skip", data, step)
        return [await steps.show(actor, case, done_step=step, done_record={"reason": text})]


def _caution(draft: Draft) -> Draft:
    """The caution and its answer, kept when a rung is left without being tried."""
    return {k: draft[k] for k in ("long_standing", "caution", "caution_until") if k in draft}


#: The events that ask a supervisor to decide on the termination.
ASKING = ("request_decision", "straight_to_decision")


async def _asking(steps: Steps, case: Case) -> CaseEvent | None:
    """The event that asked for the decision on the termination last."""
    events = await steps.uow.events.for_case(case.id or 0)
    return next((e for e in reversed(events) if e.kind in ASKING), None)


async def _caution_asked(steps: Steps, case: Case) -> Draft:
    """The caution as the rung that asked for the decision answered it: it stands on that
    rung again once the request is declined or withdrawn, as the next request's summary
    says it (`_summary`), and is never asked twice."""
    asking = await _asking(steps, case)
    return _caution(asking.data) if asking is not None else {}


#: What the form of a decision asked at once records: dropped when it is left for the rung,
#: and logged then (`to_rung`), so that no word typed there is lost.
DECIDING = ("reasons", *(f"note_{r}" for r in REASONS), "client_types")
#: What staff type on a rung before saying how it went: their own words, kept by whatever
#: leaves the rung's question another way (a decision asked at once logs them with its
#: request; a rung skipped, on its skip event).
TYPED_ON_RUNG = ("rung_action",)


def _typed_on_rung(draft: Draft) -> Draft:
    return {k: draft[k] for k in TYPED_ON_RUNG if draft.get(k)}


def _standing(draft: Draft) -> Draft:
    """What stands on the rung whatever form is opened or left on it: the caution and its
    answer, what was typed of the rung's own answer (`TYPED_ON_RUNG`), the case's own
    bookkeeping (a wait and its reminder, the steps still to be done again) and an incident
    being written (`side_form`: about the customer, not the rung, it is left only by
    dropping it)."""
    kept = {k: v for k, v in draft.items() if k.startswith("_")}
    return {**kept, **_caution(draft), **_typed_on_rung(draft), **side_form(draft)}


def full_years(since: date, today: date) -> int:
    """Count the anniversaries reached since `since` (one born on 29 February has theirs on
    1 March in a common year)."""
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def _log_move_if_made(steps: Steps, actor: Staff, case: Case, field: Field) -> None:
    """Log a move of the termination conversation as soon as its last field is in."""
    move = move_of(field.name)
    if move is None:
        return
    name, fields = move
    following = steps.field(case)
    if following is not None and following.name in fields:
        return  # the move goes on (a goodwill amount waiting for approval, say)
    steps.log(case, actor, f"move_{name}", {f: case.draft[f] for f in fields if f in case.draft})


async def _owner(steps: Steps, case: Case) -> Staff:
    """The case's owner: a case's dates are on their calendar, whoever types or presses them."""
    owner = await steps.uow.staff.get(case.owner_id)
    assert owner is not None
    return owner


def _plan_notice(steps: Steps, owner: Staff, case: Case, renewal: date) -> Outcome:
    """Remind the owner to announce the decision some months before the renewal date, on
    their calendar."""
    policy, tz, now = steps.policy, steps.tz(owner), steps.now()
    notice = policy.hours.open_day_until(_months_before(renewal, policy.notice_months))
    when = datetime.combine(
        max(notice, now.astimezone(tz).date()), time(policy.default_hour), tzinfo=tz
    )
    steps.uow.reminders.add(
        Reminder(
            kind=Kind.termination_notice,
            due_at=policy.hours.next_open(max(when, now), tz),
            recipient_id=case.owner_id,
            case_id=case.id,
            created_at=now,
            payload={"notice": notice.isoformat()},
        )
    )
    params = {"case": case.id, "notice": notice, "months": policy.notice_months}
    if notice < now.astimezone(tz).date():  # the renewal is too near: no date to wait for
        return Say("review.notice_late", {**params, "renewal": renewal})
    return Say("review.notice_date", params)


def _give_goodwill(case: Case, draft: Draft) -> None:
    """The goodwill of the goodbye is given as the conversation ends (its amount within the
    limit, or approved): kept as a complaint keeps what it gave, so that the customer's
    record and the report count it with compensation (`cases.compensation_given`)."""
    kind, value = draft.get("goodwill"), int(draft.get("goodwill_value") or 0)
    if not kind or not value:
        return
    case.compensation_type, case.compensation_value = str(kind), value
    case.compensation_total += value
    case.compensation_given = [*case.compensation_given, [str(kind), value]]


async def _terminate(steps: Steps, actor: Staff, case: Case) -> None:
    """End the relationship: the customer is terminated, and every other open case of
    theirs (complaints, a check-in, an exit interview) is closed, its owner told."""
    customer = await steps.uow.customers.hold(case.customer_id or 0)
    assert customer is not None
    if CUSTOMER_LIFE.may(customer, "terminate"):  # not one who left, or was let go, meanwhile
        lifecycle.move(customer, "terminate")
    await steps.end_other_cases(
        actor,
        case,
        "customer_terminated",
        {"terminated_by": case.id},
        ("case_closed_by_termination", {"review": case.id}),
    )


#: The events that tell the way up the ladder, on a request's summary.
CLIMBED = ("next", "skip", "wait", *ASKING)
#: How an earlier request ended without the termination: declined by a supervisor, or taken
#: back by whoever asked. The summary names who, so that a request asked again never reads
#: as if the one before it were still waiting.
UNDONE = ("declined", "withdraw")


async def _summary(steps: Steps, case: Case) -> Draft:
    """What a supervisor needs to decide on a termination: reasons and ladder results, with
    every earlier request and how it ended (declined, with the supervisor's comment, or
    withdrawn) where it ended."""
    events = await steps.uow.events.for_case(case.id or 0)
    ladder: list[list[str]] = []
    undone: dict[int, list[str]] = {}  # by who decided: their latest decline, for its comment
    for e in events:
        if e.kind in CLIMBED:
            done = e.data.get("rung_action") or e.data.get("reason") or ""
            ladder.append([e.step, e.kind, done])
        elif e.kind in UNDONE and e.step == Rung.awaiting_decision:
            who = await steps.uow.staff.get(e.actor_id) if e.actor_id else None
            ladder.append([e.step, e.kind, "", who.name if who is not None else ""])
            if e.kind == "declined" and e.actor_id:
                undone[e.actor_id] = ladder[-1]
        elif e.kind == "approval_comment" and e.actor_id in undone:
            undone.pop(e.actor_id)[2] = str(e.data.get("text") or "")
        elif e.kind in ("approved", "later") and e.actor_id:  # a comment then is on that one
            undone.pop(e.actor_id, None)
    last = next((e.data for e in reversed(events) if e.kind in ASKING), {})
    caution = next((e.data["caution"] for e in reversed(events) if "caution" in e.data), None)
    return {
        "ladder": [tuple(entry) for entry in ladder],
        "reasons": {r: last.get(f"note_{r}", "") for r in last.get("reasons", [])},
        "types": list(last.get("client_types") or []),
        **({"caution": caution} if caution else {}),  # a long-standing customer's outlook
    }


def _months_before(day: date, months: int) -> date:
    return add_months(day, -months)


PROCEDURE = Procedure(
    kind=CaseKind.problem_review,
    flow=REVIEW,
    form=lambda state, policy: review_form(state, policy.partner_codes),
    trigger=review_trigger,
    number=rung_number,
    steps=len(LADDER),
    side_actions=(
        RECORDING,
        ("skip_reason", "straight", "to_rung"),
        ESCALATING,
        ("withdraw",),
        ENDING,
    ),
    hooks=ReviewHooks(),
    decisions=(Rung.awaiting_decision,),
    subjects={Rung.awaiting_decision: "termination", Rung.termination_conversation: "goodwill"},
)
