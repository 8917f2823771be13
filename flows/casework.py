"""The common steps of every use case about a case: load it, draw it, log on it, keep focus.

Nothing here commits: the adapter runs one use case per update inside one unit of work and
commits once, together with the update's id. The use cases (`flows.desk`, `flows.decisions`,
`flows.incidents`, `flows.lists`) and the procedures' hooks build on `CaseWork`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.address import read_title
from flows.errors import HandedAway, Refused, Stale
from flows.formats import roughly
from flows.forms import (
    ASKED,
    ASKED_BY,
    SIDE_FORM,
    SINCE,
    Draft,
    Field,
    new_customer,
    next_field,
)
from flows.incidents import INCIDENT_FORM
from flows.model import (
    OPENS_FOR,
    Case,
    CaseKind,
    Customer,
    CustomerKind,
    Expecting,
    Staff,
    day_said,
)
from flows.outcomes import (
    CaseEnded,
    CaseView,
    CustomerRecord,
    Local,
    Notify,
    Outcome,
    Say,
    ShowCase,
)
from flows.parsing import QUICK_TIMES, InvalidInput, phone_key, quick_time_open, search_key
from flows.policy import Policy
from flows.ports import UnitOfWork
from flows.privacy import anonymous_part
from flows.procedures import (
    UNFINISHED,
    procedure_of,
    step_question,
    unrecorded,
    waits_for_decision,
)
from flows.procedures.base import PROMPTS
from flows.procedures.complaint import FOLLOW_UP_TIMES

Clock = Callable[[], datetime]


@dataclasses.dataclass(frozen=True)
class Focus:
    """What a person's next typed message answers, as it stood at one moment."""

    expecting: str | None
    case_id: int | None
    customer_id: int | None

    @classmethod
    def of(cls, person: Staff) -> Focus:
        """What `person`'s next typed message answers now."""
        return cls(person.expecting, person.expecting_case_id, person.expecting_customer_id)


def never_added(person: Staff, case: Case, *, ended: bool = False) -> dict[str, list[str]]:
    """What `person` was asked to type or send into `case` beside its question (a note, a
    reason, a file: `PROMPTS`) and had not yet, and, the case `ended`, the incident being
    documented on it (its owner's): a notice's `left`, told once the case ends or leaves
    them, as it will never be added (`left.*`). Once told, the prompt is no longer waited
    for: a command typed next does not tell it again; text typed next is still quoted back
    as meant for the case (the case's own question is what waits now)."""
    left = []
    if person.expecting_case_id == case.id and person.expecting in PROMPTS:
        left.append(str(person.expecting))
        person.expecting = Expecting.field
    if ended and person.id == case.owner_id and case.draft.get(SIDE_FORM) == "incident":
        left.append("incident")
    return {"left": left} if left else {}


#: The notice a case's owner gets when someone else moved their case to another step.
WORKED_ON = "worked_on"


class CaseWork:
    """One unit of work's view of cases: what every use case and hook builds on."""

    def __init__(self, uow: UnitOfWork, policy: Policy, clock: Clock) -> None:
        self.uow = uow
        self.policy = policy
        self.clock = clock
        self._told: list[Outcome] = []

    def tell(self, outcomes: list[Outcome]) -> None:
        """Keep notices a hook gives (hooks return data, not outcomes) for the use case."""
        self._told += outcomes

    def told(self) -> list[Outcome]:
        """Hand over the notices kept by `tell`."""
        kept, self._told = self._told, []
        return kept

    def now(self) -> datetime:
        """Return the current time."""
        return self.clock()

    # ------------------------------------------------------------------ reading

    async def load(self, actor: Staff, case_id: int, version: int | None = None) -> Case:
        """Load a case the actor may act on, at the version their button was drawn for."""
        case = await self.uow.cases.get(case_id)
        if case is not None and not (actor.oversees or case.owner_id == actor.id):
            await self.handed_away(actor, case)
        if case is None or not (actor.oversees or case.owner_id == actor.id):
            raise Refused("error.no_such_case", case=case_id)
        if version is not None and case.version != version:
            raise Stale(case_id, case.state)
        return case

    async def handed_away(self, actor: Staff, case: Case) -> None:
        """Refuse, saying who has it now, a case that was handed away from `actor` (an old
        card's button, a reminder's, `/case N`): they had it, and were told who took it."""
        events = await self.uow.events.for_case(case.id or 0)
        if any(e.kind == "handed_over" and e.data.get("from_staff") == actor.id for e in events):
            owner = await self.calendar(case)
            raise HandedAway(case.id or 0, owner.name)

    async def view(self, case: Case) -> CaseView:
        """Gather what is needed to draw `case` at its current step."""
        owner = await self.calendar(case)
        customer = await self.uow.customers.get(case.customer_id) if case.customer_id else None
        shown = case.id if case.kind != CaseKind.complaint else None
        record = await self.record(customer, shown) if shown else None
        field = self.field(case)
        if field is not None and field.kind == "when":  # "17:00 today" is gone after 17:00
            now, tz = self.clock(), self.tz(owner)
            offered = tuple(o for o in field.options if quick_time_open(o, now, tz))
            field = dataclasses.replace(field, options=offered)
        lifetime = self.lifetime_value(customer) if customer else None
        return CaseView(
            case, owner, customer, field, record=record, lifetime_value=lifetime, now=self.clock()
        )

    async def owners_left(self, cases: Iterable[Case]) -> dict[int, str]:
        """Case id -> the name of its owner, for those of `cases` whose owner has left
        (deactivated): nobody active is on them, a list of cases says so."""
        owners = await self.uow.staff.by_ids({c.owner_id for c in cases})
        return {
            c.id or 0: owners[c.owner_id].name
            for c in cases
            if c.owner_id in owners and not owners[c.owner_id].active
        }

    def field(self, case: Case) -> Field | None:
        """Return the next question: a side form's if one is open, else the step's."""
        if case.draft.get(SIDE_FORM) == "incident":
            return next_field(INCIDENT_FORM, case.draft)
        return self.step_field(case)

    def step_field(self, case: Case) -> Field | None:
        """Return the step's own next question, whatever side form is open beside it."""
        return step_question(case, self.policy)

    async def waiting_decision(self, reader: Staff, limit: int) -> tuple[list[Case], int]:
        """The cases waiting for a decision `reader` may take, oldest first — in a decision
        state, or at a step that asked for an approval (a goodwill gesture over the limit):
        the rule of `flows.procedures.waits_for_decision` and `may_decide`, asked of the
        database — and how many more wait for another supervisor (their own cases, or
        requests they asked for), so none of those looks lost."""
        cases = await self.uow.cases.waiting_decision(reader.id or 0, limit)
        return list(cases), await self.uow.cases.waiting_on_others(reader.id or 0)

    @staticmethod
    def ended(case: Case) -> bool:
        """Tell whether the case has reached one of its ends."""
        return procedure_of(case).flow.is_final(case.state)

    def tz(self, person: Staff) -> ZoneInfo:
        """Return the person's time zone."""
        return ZoneInfo(person.timezone or self.policy.default_timezone)

    def today(self, person: Staff) -> date:
        """The day it is on the person's calendar."""
        return self.clock().astimezone(self.tz(person)).date()

    async def calendar(self, case: Case) -> Staff:
        """Whose calendar a case's times are read in (a follow-up, a promised fix, "17:00
        today"): its owner's, whoever presses or types them — the arrangements are theirs."""
        owner = await self.uow.staff.get(case.owner_id)
        assert owner is not None
        return owner

    def agreed(
        self, person: Staff, asked: datetime, told: bool = False
    ) -> tuple[datetime, list[Outcome]]:
        """A time moved into the working hours of `person`'s zone, and a word for the person
        when it had to move; one the customer may have been `told` (typed for a follow-up or
        a promised fix) asks them to tell the customer the new time."""
        zone = self.tz(person)
        when = self.policy.hours.schedule(asked, zone)
        quoted = {"asked": Local(asked, zone), "when": Local(when, zone)}  # as it was read
        if when == asked:
            return when, []
        same_hour = when.astimezone(zone).time() == asked.astimezone(zone).time()
        key = "time.moved_day" if same_hour else "time.moved"
        return when, [Say(f"{key}_told" if told else key, quoted)]

    def after_the_fix(
        self, person: Staff, case: Case, field: str, booked: tuple[datetime, list[Outcome]]
    ) -> tuple[datetime, list[Outcome]]:
        """Keep a follow-up picked with a quick button after the fix it follows up on: at or
        before a fix promised, it moves to `follow_up_after_fix_hours` of working time after
        the fix, with a word to say so (instead of any word on working hours). `booked` is
        the time and words `quick_time` gave; returned as it is when nothing needs moving."""
        when, _ = booked
        after = self.earliest_follow_up(person, case, field, when)
        if after is None:
            return booked
        zone = self.tz(person)
        fix = case.promised_fix_at
        assert fix is not None
        quoted = {"asked": Local(when, zone), "fix": Local(fix, zone), "when": Local(after, zone)}
        return after, [Say("time.after_fix", quoted)]

    def not_before_the_fix(self, person: Staff, case: Case, field: str, when: datetime) -> None:
        """Refuse a follow-up typed for a time at or before the fix it follows up on, naming
        the fix and the earliest sensible time: a follow-up asks whether the fix worked, and
        before it there is nothing to ask yet (a time typed is meant, so it is not moved)."""
        after = self.earliest_follow_up(person, case, field, when)
        if after is not None:
            zone, fix = self.tz(person), case.promised_fix_at
            assert fix is not None
            raise InvalidInput(
                "error.follow_up_before_fix",
                asked=Local(when, zone),
                fix=Local(fix, zone),
                when=Local(after, zone),
            )

    def earliest_follow_up(
        self, person: Staff, case: Case, field: str, when: datetime
    ) -> datetime | None:
        """The earliest time a follow-up asked for at `when` may be booked, where `when` is
        at or before the fix promised on the case: `follow_up_after_fix_hours` of working
        time after the fix (in `person`'s zone). None where nothing stands in the way (not a
        follow-up's question, no fix promised, or `when` after it)."""
        fix = case.promised_fix_at
        if field not in FOLLOW_UP_TIMES or fix is None or when > fix:
            return None
        return self.policy.hours.add(fix, self.policy.follow_up_after_fix_hours, self.tz(person))

    def quick_time(self, person: Staff, name: str) -> tuple[datetime, list[Outcome]]:
        """The moment a quick button (tomorrow, in a week…) means, within working hours."""
        picked = QUICK_TIMES[name](self.clock(), self.tz(person), self.policy.default_hour)
        return self.agreed(person, picked)

    # ------------------------------------------------------------------ decisions

    @staticmethod
    def may_decide(person: Staff, case: Case) -> bool:
        """Tell whether `person` may decide on the case: an active supervisor who neither
        owns it nor asked for the decision."""
        excluded = {case.owner_id, case.draft.get(ASKED_BY)}
        return person.oversees and person.active and person.id not in excluded

    async def deciders(self, case: Case) -> list[Staff]:
        """The supervisors who may decide on the case (`may_decide`)."""
        return [p for p in await self.uow.staff.overseers() if self.may_decide(p, case)]

    async def asked(self, case: Case) -> list[Staff]:
        """The supervisors a request on the case is waiting for (none if it waits for none)."""
        return await self.deciders(case) if waits_for_decision(case) else []

    async def withdrawn(
        self, case: Case, actor: Staff, asked: list[Staff], view: CaseView | None = None
    ) -> list[Outcome]:
        """Tell the supervisors who were `asked` that the request is gone (stepped back from,
        or the case cancelled): nothing is left for them to decide."""
        told = [p for p in asked if p.id != actor.id and p.active]
        if not told:
            return []
        view = view or await self.view(case)
        return [Notify(p, "request_withdrawn", view, {"by": actor.name}) for p in told]

    @staticmethod
    def owner_told(actor: Staff, view: CaseView) -> list[Outcome]:
        """Tell the case's owner, if someone else (a supervisor) moved it to another step,
        where it stands now, a tap from opening it; their card of it is drawn there too.
        What they type next, maybe for the question the supervisor answered, is still
        quoted back once (`asked_another`): it was typed before they saw the new one."""
        owner = view.owner
        if owner.id == actor.id or not owner.active:
            return []
        left = never_added(owner, view.case, ended=True) if CaseWork.ended(view.case) else {}
        return [Notify(owner, WORKED_ON, view, {"by": actor.name, **left})]

    async def end_case(
        self,
        actor: Staff,
        case: Case,
        resolution: str,
        why: dict[str, Any],
        notice: tuple[str, dict[str, Any]],
    ) -> list[Outcome]:
        """Cancel a case, and say so to whom it concerns: its card, drawn as ended wherever
        it stands (`CaseEnded`), the supervisors asked for a decision on it (none is left to
        make), and its owner if someone else ended it (`notice`: what they are told, with
        who did it)."""
        asked = await self.asked(case)
        self.cancel(actor, case, resolution, why)
        await procedure_of(case).hooks.cancelled(self, actor, case)
        view = await self.view(case)  # drawn once for the card and every notice
        told: list[Outcome] = [CaseEnded(view), *await self.withdrawn(case, actor, asked, view)]
        kind, params = notice
        if case.owner_id != actor.id and view.owner.active:
            left = never_added(view.owner, case, ended=True)
            told.append(Notify(view.owner, kind, view, {"by": actor.name, **params, **left}))
        return told

    async def end_other_cases(
        self,
        actor: Staff,
        case: Case,
        resolution: str,
        why: dict[str, Any],
        notice: tuple[str, dict[str, Any]],
        keep: tuple[str, ...] = (),
    ) -> None:
        """End every other open case of the case's customer, but those of a kind in `keep`
        (the customer was let go, or left, in `case`): `end_case` for each, its owner and
        the supervisors asked on it told (`tell`)."""
        for other in await self.uow.cases.open_for_customer(case.customer_id or 0):
            ends = other.id != case.id and other.kind not in keep
            if ends and procedure_of(other).flow.may(other, "cancel"):
                self.tell(await self.end_case(actor, other, resolution, why, notice))

    # ---------------------------------------------------------------- recording

    def log(
        self,
        case: Case,
        actor: Staff | None,
        kind: str,
        data: dict[str, Any],
        step: str | None = None,
    ) -> None:
        """Append an event to the case's log (at its current step unless told)."""
        actor_id = actor.id if actor else None
        self.uow.events.add(case.record(self.clock(), actor_id, step or case.state, kind, data))

    def entered(self, case: Case) -> dict[str, Any]:
        """The answers entered at the case's step, and in an incident being written beside
        it, that no event holds yet (`unrecorded`)."""
        answers = unrecorded(case, self.policy)
        if case.draft.get(SIDE_FORM):
            draft = case.draft
            answers |= {
                f.name: draft[f.name] for f in INCIDENT_FORM if draft.get(f.name) is not None
            }
        return answers

    def unfinished(self, case: Case, before: dict[str, Any] | None = None) -> dict[str, Any]:
        """What an event leaving the case's step keeps of the answers entered there that no
        event holds (`entered`): all of them, or — given those `before` a change that keeps
        the step — the ones the change dropped (an offer declined mid-step)."""
        if before is None:
            left = self.entered(case)
        else:
            left = {k: v for k, v in before.items() if case.draft.get(k) != v}
        return {UNFINISHED: left} if left else {}

    def touch(self, case: Case) -> None:
        """Mark a change on the case: buttons drawn before it are stale."""
        case.touch(self.clock())

    def cancel(self, actor: Staff, case: Case, resolution: str, why: dict[str, Any]) -> None:
        """End a case by cancelling it: closed now with `resolution`, no follow-up left,
        and the cancel logged with `why` at the step it left."""
        step = case.state
        spec = procedure_of(case)
        # A request waiting for a supervisor goes with the case, as when stepping back.
        undone = spec.hooks.stepped_back(case, step) if step in spec.decisions else {}
        left = self.unfinished(case)  # what was entered at the step left
        if new_customer(case.draft):  # typed in, never recorded: no one could forget them,
            left = {UNFINISHED: anonymous_part(left.get(UNFINISHED, {}))}  # so what is theirs
            case.draft = anonymous_part(case.draft)  # goes (the question said so, `Desk`)
        spec.flow.fire(case, "cancel")
        case.resolution, case.closed_at = resolution, self.clock()
        case.follow_up_due_at = case.overdue_since = None  # an ended case is not overdue
        case.draft = {k: v for k, v in case.draft.items() if k not in ASKED}
        self.touch(case)
        self.log(case, actor, "cancel", {**why, **undone, **left, "to": case.state}, step)

    @staticmethod
    def focus(actor: Staff, case: Case | None, expecting: str | None) -> None:
        """Remember what the person's next typed message is about."""
        actor.expecting = expecting if case else None
        actor.expecting_case_id = case.id if case else None
        actor.expecting_customer_id = None

    def question(self, case: Case) -> str | None:
        """The question the case's card asks now, as its step and field (`fix:action`)."""
        field = self.field(case)
        return None if field is None else f"{case.state}:{field.name}"

    def asked_another(self, person: Staff, case: Case) -> bool:
        """Tell whether the case has moved on (someone else answered) from the question
        last drawn for `person`: what they type now was meant for that one."""
        return case.asked.get(str(person.id)) not in (None, self.question(case))

    async def show(self, actor: Staff, case: Case, **done: Any) -> ShowCase:
        """Draw the case at its step, and take the person's next text as its answer."""
        self.focus(actor, case, None if self.ended(case) else Expecting.field)
        self.shown_again(actor, case)
        return ShowCase(view=await self.view(case), **done)

    def shown_again(self, person: Staff, case: Case) -> None:
        """The case's card was drawn for `person` (as a card, or in a notice): what they type
        into it next answers the question it shows now. Kept on the case, whose row an update
        that changes it writes anyway (and only when the question drawn for them changed),
        rather than on the person, which cost every update a write of its own."""
        question, key = self.question(case), str(person.id)
        if case.asked.get(key) != question:
            case.asked = {**case.asked, key: question}

    # ---------------------------------------------------------------- customers

    async def record(
        self, customer: Customer | None, shown_from: int | None = None
    ) -> CustomerRecord | None:
        """Sum up a customer from the log: tenure, value, complaints, incidents.

        `shown_from` is the case the record is shown on: not listed among the open ones.
        """
        if customer is None or customer.id is None:
            return None
        figures = await self.uow.cases.customer_figures(customer.id)
        first, last = figures["first_complaint"], figures["last_complaint"]
        owners = {
            c.id: c.owner_id
            for c in await self.uow.cases.open_for_customer(customer.id)
            if c.id is not None
        }
        return CustomerRecord(
            tenure_years=self.tenure(customer),
            yearly_value=customer.yearly_value,
            lifetime_value=self.lifetime_value(customer),
            currency=customer.currency,
            complaints=figures["complaints"],
            reopens=figures["reopens"],
            compensation=figures["compensation"],
            open_cases=[c for c in figures["open_cases"] if c != shown_from],
            incidents=list(await self.uow.incidents.for_customer(customer.id)),
            complaints_between=(first, last) if first and last else None,
            open_owners=owners,
            shown_on=shown_from,
        )

    def tenure(self, customer: Customer) -> float | None:
        """How many years `customer` has been one, if known since when: counted from the
        stored day, so a start given as a year only counts from its 1 January, and one
        given as a month from its first day (`Customer.since_precision` says which)."""
        if customer.since is None:
            return None
        # The company's today, not UTC's (yesterday before 07:00 in Saigon); never before
        # `since`, which someone ahead of the company's zone may have typed as their today.
        today = self.clock().astimezone(ZoneInfo(self.policy.default_timezone)).date()
        return max(0, (today - customer.since).days) / 365.25

    def lifetime_value(self, customer: Customer) -> int | None:
        """What `customer` has been worth so far: their yearly value over their tenure, where
        both are known, kept to the digits an estimate means (it is read as "about")."""
        tenure = self.tenure(customer)
        if not customer.yearly_value or not tenure:
            return None
        return roughly(customer.yearly_value * tenure)

    async def add_customer(self, actor: Staff, draft: Draft) -> Customer:
        """Register the customer described in the draft; a title typed before the name of a
        person ("chị Nguyễn Thị Mai") is kept apart as their title. One already on record
        with the same name and phone (in any form) is that customer, not a second one."""
        since = day_said(draft[SINCE]) if draft.get(SINCE) else None
        individual = draft["new_kind"] == CustomerKind.individual
        naming = read_title(draft["new_name"]) if individual else None
        titled = naming is not None and bool(naming.rest)
        name = naming.rest if naming is not None and titled else draft["new_name"]
        known = await self._on_record(name, draft.get("new_phone"))
        if known is not None:
            return known
        return await self.uow.customers.add(
            Customer(
                name=name,
                search_key=search_key(name),
                title=naming.title if naming is not None and titled else None,
                kind=draft["new_kind"],
                phone=draft.get("new_phone"),
                since=since[0] if since else None,
                since_precision=since[1] if since else None,
                yearly_value=draft.get("new_yearly_value"),
                currency=self.policy.currency,
                created_at=self.clock(),
                created_by=actor.id,
            )
        )

    async def _on_record(self, name: str, phone: str | None) -> Customer | None:
        """The customer of this name already on record with this phone, if there is one."""
        same = search_key(name)
        return next((c for c in await self.sharing(phone) if c.search_key == same), None)

    async def sharing(self, phone: str | None) -> list[Customer]:
        """The customers on record with this phone number, however either was written."""
        if not phone:
            return []
        found = await self.uow.customers.with_phone(phone_key(phone), self.policy.search_results)
        return list(found)

    async def check_still_open(self, case: Case) -> None:
        """Refuse to carry a case on once its customer's status rules it out (they left, or
        were let go, since it was opened)."""
        if case.customer_id is not None:
            customer = await self.uow.customers.get(case.customer_id)
            if customer is not None:
                self.check_opens(customer, case.kind)

    @staticmethod
    def check_not_forgotten(customer: Customer) -> None:
        """Refuse to record anything new about a customer who asked to be forgotten (an old
        card's button; a search never lists them): one who comes back is added afresh.
        Their cases open when they were forgotten go on."""
        if customer.forgotten:
            raise Refused("customer.forgotten")

    @staticmethod
    def check_opens(customer: Customer, kind: str) -> None:
        """Refuse a procedure the customer's status rules out (a review of a lost customer)."""
        if kind not in OPENS_FOR.get(customer.status, ()):
            raise Refused(f"customer.refused.{kind}", name=customer)

    def check_may_open(self, customer: Customer, kind: str) -> None:
        """Refuse a new case about a customer who was forgotten, then one their status rules
        out: forgetting is said first, whatever became of them since."""
        self.check_not_forgotten(customer)
        self.check_opens(customer, kind)

    async def attach_customer(
        self, actor: Staff, case: Case, customer: Customer, added: bool = False
    ) -> ShowCase:
        """Make the case about the customer, as its procedure does when one is chosen: their
        row held first (but one `added` in this unit, whom no other unit sees yet), so
        whatever another unit is deciding about them (a termination, a second review) is
        either seen here or sees this case."""
        if not added:
            customer = await self.uow.customers.hold(customer.id or 0) or customer
        self.check_may_open(customer, case.kind)
        case.customer_id = customer.id  # listed and forgettable with them from now on
        await procedure_of(case).hooks.customer_chosen(self, actor, case, customer)
        self.touch(case)
        return await self.show(actor, case)
