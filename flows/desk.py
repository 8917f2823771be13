"""Case use cases: each loads what it needs, changes the case, logs, and says what to show.

Nothing here commits: the adapter runs one use case per update inside one unit of work
and commits once, together with the update's id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows import reminders
from flows.address import read_title
from flows.case_filter import PAGE, CaseFilter, FilterWords
from flows.complaint import Step
from flows.errors import Refused, Stale
from flows.forms import ASKED_BY, Field, next_field
from flows.model import Case, CaseEvent, CaseKind, Customer, CustomerKind, Staff
from flows.outcomes import (
    CaseView,
    Notify,
    Outcome,
    Say,
    SendFiles,
    ShowCase,
    ShowCases,
    ShowTimeline,
)
from flows.parsing import (
    FURTHEST_RENEWAL,
    QUICK_TIMES,
    InvalidInput,
    clean_text,
    parse_money,
    parse_past_date,
    parse_phone,
    parse_when,
    search_key,
)
from flows.policy import Policy
from flows.ports import UnitOfWork
from flows.procedures import procedure_of
from flows.reminders import Kind
from flows.review_steps import INCIDENT_FORM, ReviewSteps

Clock = Callable[[], datetime]

#: What a text message from this person is taken to be.
EXPECTS_FIELD = "field"
TEXT_ACTIONS = ("note", "cancel_reason", "escalate_reason", "skip_reason")
EXPECTS_EVIDENCE = "evidence"


#: Reminder buttons for a follow-up: answer -> (outcome, when to try again).
FOLLOW_UP_ANSWERS: dict[str, tuple[str, str | None]] = {
    "satisfied": ("satisfied", None),
    "still_unhappy": ("still_unhappy", None),
    "later_1h": ("unreachable", "in_1h"),
    "later_tomorrow": ("unreachable", "tomorrow"),
}


#: Decision buttons: y, n, l -> the trigger they fire.
VERDICTS = {"y": "approved", "n": "declined", "l": "later"}


def is_id(text: str) -> bool:
    """Tell whether text is a database id: ASCII digits within 32 bits."""
    return text.isascii() and text.isdigit() and len(text) <= 10 and int(text) < 2**31


class Desk(ReviewSteps):
    """The procedures as use cases over one unit of work."""

    def __init__(self, uow: UnitOfWork, policy: Policy, clock: Clock) -> None:
        self.uow = uow
        self.policy = policy
        self.clock = clock

    # ------------------------------------------------------------------ reading

    async def load(self, actor: Staff, case_id: int, version: int | None = None) -> Case:
        """Load a case the actor may act on, at the version their button was drawn for."""
        case = await self.uow.cases.get(case_id)
        if case is None or not (actor.oversees or case.owner_id == actor.id):
            raise Refused("error.no_such_case", case=case_id)
        if version is not None and case.version != version:
            raise Stale(case_id, case.state)
        return case

    async def view(self, case: Case) -> CaseView:
        """Gather what is needed to draw `case` at its current step."""
        owner = await self.uow.staff.get(case.owner_id)
        assert owner is not None
        customer = await self.uow.customers.get(case.customer_id) if case.customer_id else None
        shown = case.id if case.kind != CaseKind.complaint else None
        record = await self.record(customer, shown) if shown else None
        return CaseView(
            case=case, owner=owner, customer=customer, field=self._field(case), record=record
        )

    def _field(self, case: Case) -> Field | None:
        """Return the next question: a side form's if one is open, else the step's."""
        if case.draft.get("_side") == "incident":
            return next_field(INCIDENT_FORM, case.draft)
        context = {"customer": case.customer_id} if case.customer_id else {}
        form = procedure_of(case).form(case.state, self.policy)
        return next_field(form, {**context, **case.draft})

    @staticmethod
    def ended(case: Case) -> bool:
        """Tell whether the case has reached one of its ends."""
        return procedure_of(case).flow.is_final(case.state)

    def tz(self, person: Staff) -> ZoneInfo:
        """Return the person's time zone."""
        return ZoneInfo(person.timezone or self.policy.default_timezone)

    def working_time(self, actor: Staff, moment: datetime) -> datetime:
        """Move a time agreed with a customer into the working hours of the actor's zone."""
        return self.policy.hours.schedule(moment, self.tz(actor))

    def quick_time(self, actor: Staff, name: str) -> datetime:
        """The moment a quick button (tomorrow, in a week…) means, within working hours."""
        picked = QUICK_TIMES[name](self.clock(), self.tz(actor), self.policy.default_hour)
        return self.working_time(actor, picked)

    # ---------------------------------------------------------------- recording

    def _log(self, case: Case, actor: Staff, kind: str, data: dict[str, Any], step: str) -> None:
        case.events_count += 1
        assert case.id is not None
        self.uow.events.add(
            CaseEvent(
                case_id=case.id,
                seq=case.events_count,
                at=self.clock(),
                actor_id=actor.id,
                step=step,
                kind=kind,
                data=data,
            )
        )

    def _touch(self, case: Case) -> None:
        case.version += 1
        case.updated_at = self.clock()

    def _focus(self, actor: Staff, case: Case | None, expecting: str | None) -> None:
        actor.expecting = expecting if case else None
        actor.expecting_case_id = case.id if case else None
        actor.expecting_customer_id = None

    async def _show(self, actor: Staff, case: Case, **done: Any) -> ShowCase:
        self._focus(actor, case, None if self.ended(case) else EXPECTS_FIELD)
        return ShowCase(view=await self.view(case), **done)

    # ---------------------------------------------------------------- use cases

    async def new_case(self, actor: Staff, customer_id: int | None = None) -> list[Outcome]:
        """Open a complaint case at intake; ask who the customer is unless it is known."""
        now = self.clock()
        known = await self.uow.customers.get(customer_id) if customer_id else None
        if known is not None:
            self.check_opens(known, CaseKind.complaint)
        case = await self.uow.cases.add(
            Case(
                kind=CaseKind.complaint,
                owner_id=actor.id or 0,
                opened_at=now,
                updated_at=now,
                draft={"customer": known.id} if known else {},
            )
        )
        self._log(case, actor, "opened", {}, Step.intake)
        return [await self._show(actor, case)]

    async def already_saved(self, actor: Staff) -> list[Outcome]:
        """Confirm an answer typed again after its saving was in doubt: it was saved."""
        case_id = actor.expecting_case_id
        shown = await self.current_card(actor, case_id) if case_id else []
        return [Say("input.already_saved", {"case": case_id}), *shown]

    async def current_card(self, actor: Staff, case_id: int) -> list[Outcome]:
        """The case's card as it stands, changing nothing (an answer sent again)."""
        try:
            case = await self.load(actor, case_id)
        except Refused:
            return []
        return [] if self.ended(case) else [ShowCase(view=await self.view(case))]

    async def open_case(self, actor: Staff, case_id: int) -> list[Outcome]:
        """Resume a case at its step; to a supervisor who may decide it, show the request."""
        case = await self.load(actor, case_id)
        if self.ended(case):
            return await self.timeline(actor, case_id)
        deciders = {p.id for p in await self._deciders(case)}
        if actor.id in deciders and self._waits_for_decision(case):
            kind, params = await self.request_facts(case)
            return [Notify(actor, kind, await self.view(case), params)]
        return [await self._show(actor, case)]

    def _waits_for_decision(self, case: Case) -> bool:
        field = self._field(case)
        return case.state in procedure_of(case).decisions or (
            field is not None and field.kind == "approval"
        )

    async def text(self, actor: Staff, raw: str) -> list[Outcome]:
        """Take typed text as whatever the person was last asked for."""
        if actor.expecting is None or actor.expecting_case_id is None:
            raise Refused("error.not_expecting_text")
        case = await self.load(actor, actor.expecting_case_id)
        if actor.expecting in TEXT_ACTIONS:
            return await self._text_action(actor, case, actor.expecting, raw)
        if actor.expecting == "approval_comment":
            return await self._approval_comment(actor, case, raw)
        if actor.expecting == EXPECTS_EVIDENCE:
            raise Refused("error.send_file")
        field = self._field(case)
        if field is None:
            raise Refused("error.use_buttons_now", case=case.id)
        if field.kind == "customer":
            return await self._search_customers(actor, case, raw)
        if field.kind == "approval":
            raise Refused("approval.waiting", case=case.id)
        if field.kind in ("choice", "multi"):
            return [Say("error.use_buttons"), await self._show(actor, case)]
        return await self._fill(actor, case, field, self._parse(actor, field, raw))

    def _parse(self, actor: Staff, field: Field, raw: str) -> Any:
        limit = self.policy.name_limit if field.name == "new_name" else self.policy.text_limit
        now = self.clock()
        if field.kind == "money":
            return parse_money(raw, self.policy.max_amount)
        if field.kind == "phone":
            return parse_phone(raw)
        if field.kind == "when":
            when = parse_when(raw, now, self.tz(actor), self.policy.default_hour)
            return self.working_time(actor, when).isoformat()
        if field.kind == "past_date":
            return parse_past_date(raw, now.astimezone(self.tz(actor)).date()).isoformat()
        if field.kind == "future_date":
            renewal = parse_when(raw, now, self.tz(actor), 0, FURTHEST_RENEWAL)
            return renewal.date().isoformat()
        return clean_text(raw, limit)

    async def _search_customers(self, actor: Staff, case: Case, raw: str) -> list[Outcome]:
        query = clean_text(raw, self.policy.name_limit)
        key = search_key(query)
        digits = "".join(ch for ch in query if ch.isdigit())
        matches = await self.uow.customers.search(
            digits if len(digits) >= 3 and len(digits) == len(query.replace(" ", "")) else key,
            self.policy.search_results,
        )
        shown = await self._show(actor, case)
        shown.view.matches = matches
        return [shown] if matches else [Say("intake.no_match", {"query": query}), shown]

    async def choose(self, actor: Staff, case_id: int, version: int, value: str) -> list[Outcome]:
        """Take a button answer for the case's current question."""
        case = await self.load(actor, case_id, version)
        field = self._field(case)
        if field is None:
            raise Stale(case_id, case.state)
        if field.kind == "customer":
            return await self._pick_customer(actor, case, field, value)
        if field.kind == "multi":
            return await self._toggle(actor, case, field, value)
        if field.kind == "past_date" and value == "today":
            today = self.clock().astimezone(self.tz(actor)).date()
            return await self._fill(actor, case, field, today.isoformat())
        if field.kind == "when" and value in field.options:
            return await self._fill(actor, case, field, self.quick_time(actor, value).isoformat())
        if field.kind != "choice" or value not in field.options:
            raise Stale(case_id, case.state)
        return await self._fill(actor, case, field, value)

    async def _pick_customer(
        self, actor: Staff, case: Case, field: Field, value: str
    ) -> list[Outcome]:
        if value == "new":
            return await self._fill(actor, case, field, "new")
        customer = await self.uow.customers.get(int(value)) if is_id(value) else None
        if customer is None:
            raise Stale(case.id or 0, case.state)
        self.check_opens(customer, case.kind)
        if case.kind != CaseKind.complaint:
            return await self.adopt_customer(actor, case, customer)
        case.customer_id = customer.id  # the case is theirs from now on: listed, forgettable
        return await self._fill(actor, case, field, customer.id)

    async def _toggle(self, actor: Staff, case: Case, field: Field, value: str) -> list[Outcome]:
        """Tick or untick one option of a multiple choice; "done" records the ticked ones."""
        key = f"_pick_{field.name}"
        picked = list(case.draft.get(key, []))
        if value == "done":
            if not picked and not field.optional:
                raise Refused("error.pick_one")
            draft = {k: v for k, v in case.draft.items() if k != key}
            case.draft = draft
            return await self._fill(actor, case, field, [o for o in field.options if o in picked])
        if value not in field.options:
            raise Stale(case.id or 0, case.state)
        picked = [o for o in picked if o != value] if value in picked else [*picked, value]
        case.draft = {**case.draft, key: picked}
        self._touch(case)
        return [await self._show(actor, case)]

    async def skip(self, actor: Staff, case_id: int, version: int) -> list[Outcome]:
        """Leave an optional question unanswered."""
        case = await self.load(actor, case_id, version)
        field = self._field(case)
        if field is None or not field.optional:
            raise Stale(case_id, case.state)
        return await self._fill(actor, case, field, None)

    async def _fill(self, actor: Staff, case: Case, field: Field, value: Any) -> list[Outcome]:
        case.draft = {**case.draft, field.name: value}
        self._touch(case)
        if self._new_customer_complete(case):  # a review or interview starts with them now
            customer = await self._add_customer(actor, case.draft)
            case.draft = {k: v for k, v in case.draft.items() if k != "customer"}
            case.draft = {k: v for k, v in case.draft.items() if not k.startswith("new_")}
            return await self.adopt_customer(actor, case, customer)
        outcomes = await self.after_fill(actor, case, field, value)
        if case.draft.get("_side") == "incident" and self._field(case) is None:
            return [*outcomes, *await self.record_incident(actor, case)]
        following = self._field(case)
        if following is None:
            return [*outcomes, *await self._complete(actor, case)]
        if following.kind == "approval":
            case.draft = {**case.draft, ASKED_BY: actor.id}
            await self._remind_deciders(case)
            outcomes += await self._request_decision(case, actor)
        return [*outcomes, await self._show(actor, case)]

    async def _complete(self, actor: Staff, case: Case) -> list[Outcome]:
        step, draft = case.state, {k: v for k, v in case.draft.items() if not k.startswith("_")}
        spec = procedure_of(case)
        trigger = spec.trigger(step, draft)
        if step == Step.intake:
            await self._apply_intake(actor, case, draft)
        spec.flow.fire(
            case,
            trigger,
            value=draft.get("value") or 0,
            given=case.compensation_total,
            limit=self.policy.staff_compensation_limit,
            grounds=draft.get("grounds", False),
        )
        case.draft = {ASKED_BY: actor.id} if case.state in spec.decisions else {}
        if case.kind == CaseKind.complaint:
            self._apply_record(case, trigger, draft)
        elif case.kind == CaseKind.exit_interview:
            await self.apply_exit(case, trigger, draft)
        elif case.kind == CaseKind.check_in:
            await self.apply_check_in(case, trigger, draft)
        else:
            await self.apply_review(actor, case, trigger, draft)
        logged = {} if trigger == "concluded" else draft  # its moves were logged one by one
        self._log(case, actor, trigger, {**logged, "to": case.state}, step)
        await self._schedule(case, trigger)
        if trigger == "open":
            await self.flag_at_risk_if_due(actor, case)
        outcomes: list[Outcome] = [
            await self._show(actor, case, done_step=step, done_record=draft)
        ]
        if case.state in spec.decisions:
            outcomes += await self._request_decision(case, actor)
        return outcomes

    def _new_customer_complete(self, case: Case) -> bool:
        """Tell whether a customer added outside a complaint's intake has all their details."""
        if case.kind == CaseKind.complaint or case.draft.get("customer") != "new":
            return False
        following = self._field(case)
        return following is None or not following.name.startswith("new_")

    async def _add_customer(self, actor: Staff, draft: dict[str, Any]) -> Customer:
        """Register the customer described in the draft; a title typed before the name of a
        person ("chị Nguyễn Thị Mai") is kept apart as their title."""
        since = draft.get("new_since")
        individual = draft["new_kind"] == CustomerKind.individual
        naming = read_title(draft["new_name"]) if individual else None
        titled = naming is not None and bool(naming.rest)
        name = naming.rest if naming is not None and titled else draft["new_name"]
        return await self.uow.customers.add(
            Customer(
                name=name,
                search_key=search_key(name),
                title=naming.title if naming is not None and titled else None,
                kind=draft["new_kind"],
                phone=draft.get("new_phone"),
                since=date.fromisoformat(since) if since else None,
                yearly_value=draft.get("new_yearly_value"),
                created_at=self.clock(),
                created_by=actor.id,
            )
        )

    async def _apply_intake(self, actor: Staff, case: Case, draft: dict[str, Any]) -> None:
        draft.setdefault("customer", case.customer_id)  # chosen before the draft was cleared
        if draft["customer"] == "new":
            draft["customer"] = (await self._add_customer(actor, draft)).id
        case.customer_id = int(draft["customer"])
        case.summary, case.category = draft["summary"], draft["category"]
        case.severity = draft["severity"]

    def _apply_record(self, case: Case, trigger: str, draft: dict[str, Any]) -> None:
        now = self.clock()
        if trigger == "fixed":
            promised = draft.get("promised_at")
            case.promised_fix_at = datetime.fromisoformat(promised) if promised else None
        elif trigger == "compensated":
            case.compensation_type = draft["type"]
            case.compensation_value = draft.get("value") or 0
            if case.state != Step.awaiting_approval:  # within the limit: given now
                case.compensation_total += case.compensation_value
        elif trigger in ("scheduled", "unreachable"):
            case.follow_up_due_at = datetime.fromisoformat(draft.get("due") or draft["next_due"])
            case.overdue_since = None
        elif trigger == "still_unhappy":
            case.reopen_count += 1
            case.follow_up_due_at = case.overdue_since = None
        elif trigger == "satisfied":
            case.resolution, case.closed_at, case.follow_up_due_at = "resolved", now, None
            case.overdue_since = None

    async def _schedule(self, case: Case, trigger: str) -> None:
        """Add the reminders that the step just recorded calls for."""
        policy, now = self.policy, self.clock()
        owner = await self.uow.staff.get(case.owner_id)
        assert owner is not None
        tz = self.tz(owner)
        if trigger == "fixed" and case.promised_fix_at:
            self.uow.reminders.add(
                reminders.for_owner(
                    Kind.fix_due, case, case.promised_fix_at, owner, policy.hours, tz, now
                )
            )
        elif trigger in ("scheduled", "unreachable") and case.follow_up_due_at:
            self.uow.reminders.add(
                reminders.for_owner(
                    Kind.follow_up_due, case, case.follow_up_due_at, owner, policy.hours, tz, now
                )
            )
        elif case.state in procedure_of(case).decisions:
            await self._remind_deciders(case)

    async def _remind_deciders(self, case: Case) -> None:
        """Remind each supervisor who may decide, if the request still waits after a while."""
        policy, now = self.policy, self.clock()
        for reminder in reminders.approval_reminders(
            case,
            await self._deciders(case),
            timedelta(hours=policy.approval_reminder_hours),
            policy.hours,
            policy.default_timezone,
            now,
        ):
            self.uow.reminders.add(reminder)

    async def _deciders(self, case: Case) -> list[Staff]:
        """The active supervisors who may decide on the case: not its owner, not who asked."""
        excluded = {case.owner_id, case.draft.get(ASKED_BY)}
        return [p for p in await self.uow.staff.overseers() if p.active and p.id not in excluded]

    async def request_facts(self, case: Case) -> tuple[str, dict[str, Any]]:
        """What a supervisor reads before deciding: the same in the request and its reminders."""
        subject = procedure_of(case).subject(case.state)
        asker = await self.uow.staff.get(int(case.draft.get(ASKED_BY) or case.owner_id))
        params: dict[str, Any] = {"asked_by": asker.name if asker else ""}
        if subject == "compensation":
            params |= {"type": case.compensation_type, "value": case.compensation_value}
            params["given"] = case.compensation_total
            return "approval_request", params
        if subject == "goodwill":
            draft = case.draft
            params |= {"type": draft.get("goodwill"), "value": draft.get("goodwill_value")}
            return "goodwill_approval_request", params
        return "decision_request", {**params, **await self.summary(case)}

    async def _request_decision(self, case: Case, actor: Staff) -> list[Outcome]:
        kind, params = await self.request_facts(case)
        return await self._notify_overseers(case, actor, kind, params)

    async def _notify_overseers(
        self, case: Case, actor: Staff, kind: str, params: dict[str, Any]
    ) -> list[Outcome]:
        overseers = [p for p in await self._deciders(case) if p.id != actor.id]
        if not overseers:
            return [Say("approval.nobody", {"case": case.id})]
        view = await self.view(case)
        return [Notify(recipient=p, kind=kind, view=view, params=params) for p in overseers]

    # ------------------------------------------------------------ side actions

    async def action(self, actor: Staff, case_id: int, version: int, verb: str) -> list[Outcome]:
        """Handle the buttons every step carries: note, evidence, back, escalate, pause, cancel."""
        case = await self.load(actor, case_id, version)
        flow = procedure_of(case).flow
        if self.ended(case):
            raise Stale(case_id, case.state)
        if verb == "back":
            return await self._back(actor, case)
        if verb == "pause":
            self._focus(actor, None, None)
            return [Say("case.paused", {"case": case.id})]
        if verb == "incident":
            return await self.open_incident(actor, case)
        if verb == "straight":
            return await self.straight_to_decision(actor, case)
        trigger = {"cancel_reason": "cancel", "skip_reason": "skip"}.get(verb)
        if trigger is not None and not flow.may(case, trigger):
            raise Refused("error.not_now", case=case.id)
        if verb in TEXT_ACTIONS or verb == EXPECTS_EVIDENCE:
            self._focus(actor, case, verb)
            return [Say(f"ask.{verb}", {"case": case.id})]
        raise Stale(case_id, case.state)

    async def _back(self, actor: Staff, case: Case) -> list[Outcome]:
        step, flow = case.state, procedure_of(case).flow
        if not flow.may(case, "back"):
            raise Refused("error.cannot_go_back", case=case.id)
        flow.fire(case, "back")
        case.draft = {}
        self._touch(case)
        self._log(case, actor, "back", {"to": case.state}, step)
        return [await self._show(actor, case)]

    async def _text_action(self, actor: Staff, case: Case, verb: str, raw: str) -> list[Outcome]:
        text = clean_text(raw, self.policy.text_limit)
        step = case.state
        if self.ended(case):
            self._focus(actor, None, None)
            raise Refused("error.case_ended", case=case.id)
        outcomes: list[Outcome] = []
        if verb == "note":
            self._log(case, actor, "note", {"text": text}, step)
            outcomes.append(Say("note.saved", {"case": case.id}))
        elif verb == "escalate_reason":
            self._log(case, actor, "escalated", {"reason": text}, step)
            outcomes.append(Say("escalate.sent", {"case": case.id}))
            outcomes += await self._notify_overseers(case, actor, "escalation", {"reason": text})
        elif verb == "skip_reason":
            return await self.skip_rung(actor, case, text)
        else:
            procedure_of(case).flow.fire(case, "cancel")
            case.resolution, case.closed_at = "cancelled", self.clock()
            case.follow_up_due_at = None
            self._log(case, actor, "cancel", {"reason": text, "to": case.state}, step)
            self._touch(case)
            self._focus(actor, None, None)
            return [Say("case.cancelled", {"case": case.id})]
        self._touch(case)
        return [*outcomes, await self._show(actor, case)]

    async def evidence(
        self, actor: Staff, file_id: str, kind: str, name: str | None
    ) -> list[Outcome]:
        """Attach a photo or document to the case the person is working on."""
        if actor.expecting_case_id is None:
            raise Refused("error.evidence_without_case")
        case = await self.load(actor, actor.expecting_case_id)
        if self.ended(case):
            raise Refused("error.case_ended", case=case.id)
        self._log(
            case, actor, "evidence", {"file_id": file_id, "kind": kind, "name": name}, case.state
        )
        self._touch(case)
        return [Say("evidence.saved", {"case": case.id}), await self._show(actor, case)]

    # ------------------------------------------------------- answers to reminders

    async def answer_follow_up(
        self, actor: Staff, case_id: int, version: int, answer: str
    ) -> list[Outcome]:
        """Record a follow-up outcome straight from its reminder."""
        case = await self.load(actor, case_id, version)
        if case.state != Step.awaiting_follow_up or answer not in FOLLOW_UP_ANSWERS:
            raise Stale(case_id, case.state)
        outcome, later = FOLLOW_UP_ANSWERS[answer]
        draft: dict[str, Any] = {"outcome": outcome}
        if later:
            draft["next_due"] = self.quick_time(actor, later).isoformat()
        case.draft = draft
        self._touch(case)
        return await self._complete(actor, case)

    async def answer_fix(
        self, actor: Staff, case_id: int, version: int, answer: str
    ) -> list[Outcome]:
        """Confirm a promised fix is done, or promise a new time, from its reminder."""
        case = await self.load(actor, case_id, version)
        if self.ended(case) or case.promised_fix_at is None:
            raise Stale(case_id, case.state)
        if answer == "done":
            case.promised_fix_at = None
            self._log(case, actor, "fix_done", {}, case.state)
            self._touch(case)
            return [Say("fix.confirmed", {"case": case.id})]
        if answer not in QUICK_TIMES:
            raise Stale(case_id, case.state)
        promised = self.quick_time(actor, answer)
        case.promised_fix_at = promised
        self._log(
            case, actor, "fix_rescheduled", {"promised_at": promised.isoformat()}, case.state
        )
        self._touch(case)
        await self._schedule(case, "fixed")
        return [Say("fix.rescheduled", {"case": case.id, "when": promised})]

    # ---------------------------------------------------------------- approvals

    async def decide(
        self, actor: Staff, case_id: int, version: int, verdict: str
    ) -> list[Outcome]:
        """Record a supervisor's decision: approve, decline, or (reviews) try again later."""
        if not actor.oversees:
            raise Refused("error.supervisors_only")
        case = await self.load(actor, case_id)
        trigger = VERDICTS.get(verdict)
        if case.version != version or trigger is None:
            raise Refused("approval.already_decided", case=case_id)
        asked_by = case.draft.get(ASKED_BY)
        if actor.id in (case.owner_id, asked_by):
            raise Refused("approval.not_own", case=case_id)
        spec, step = procedure_of(case), case.state
        subject = spec.subject(step)
        field = self._field(case)
        if field is not None and field.kind == "approval":
            await self.decide_field(case, field, trigger)
        elif step in spec.decisions and spec.flow.may(case, trigger):
            if trigger != "later":
                case.draft = {k: v for k, v in case.draft.items() if k != ASKED_BY}
            spec.flow.fire(case, trigger)
            if case.kind == CaseKind.complaint and trigger == "declined":
                case.compensation_type, case.compensation_value = None, None
            elif case.kind == CaseKind.complaint and trigger == "approved":
                case.compensation_total += case.compensation_value or 0
            await self.after_decision(case, trigger)
        else:
            raise Refused("approval.already_decided", case=case_id)
        self._touch(case)
        self._log(case, actor, trigger, {"to": case.state}, step)
        self._focus(actor, case, "approval_comment")
        view = await self.view(case)
        told = [view.owner]
        asker = await self.uow.staff.get(int(asked_by)) if asked_by else None
        if asker is not None and asker.id != view.owner.id:
            told.append(asker)  # a supervisor who entered the request on someone's case
        notice = {"verdict": trigger, "by": actor.name, "subject": subject}
        return [
            Say(f"approval.recorded.{subject}.{trigger}", {"case": case.id}, offer="no_comment"),
            *(Notify(person, "decision", view, notice) for person in told if person.active),
        ]

    async def _approval_comment(self, actor: Staff, case: Case, raw: str) -> list[Outcome]:
        text = clean_text(raw, self.policy.text_limit)
        self._log(case, actor, "approval_comment", {"text": text}, case.state)
        self._focus(actor, None, None)
        view = await self.view(case)
        return [
            Say("approval.comment_saved", {"case": case.id}),
            Notify(view.owner, "approval_comment", view, {"text": text, "by": actor.name}),
        ]

    async def skip_comment(self, actor: Staff) -> list[Outcome]:
        """Finish a decision without a comment."""
        self._focus(actor, None, None)
        return [Say("approval.no_comment")]

    # ------------------------------------------------------------------ lists

    async def timeline(self, actor: Staff, case_id: int) -> list[Outcome]:
        """Show a case's events in order."""
        case = await self.load(actor, case_id)
        events = await self.uow.events.for_case(case_id)
        people = await self.uow.staff.by_ids({e.actor_id for e in events if e.actor_id})
        return [ShowTimeline(view=await self.view(case), events=events, people=people)]

    async def evidence_files(self, actor: Staff, case_id: int) -> list[Outcome]:
        """Send a case's photos and documents again."""
        await self.load(actor, case_id)
        files = [
            (str(e.data.get("kind")), str(e.data.get("file_id")), e.data.get("name"))
            for e in await self.uow.events.for_case(case_id)
            if e.kind == "evidence"
        ]
        if not files:
            raise Refused("evidence.none", case=case_id)
        return [SendFiles(case_id=case_id, files=files)]

    async def list_cases(
        self, actor: Staff, wanted: CaseFilter | FilterWords | None = None
    ) -> list[Outcome]:
        """List cases by filter, a page at a time: one's own, or everyone's for supervisors."""
        page = await self._resolve(actor, wanted or CaseFilter())
        cases = list(await self.uow.cases.find(page, PAGE + 1, self.tz(actor)))
        rows = await self._with_customers(cases[:PAGE])
        return [
            ShowCases(cases=rows, everyone=actor.oversees, filter=page, more=len(cases) > PAGE)
        ]

    async def _resolve(self, actor: Staff, wanted: CaseFilter | FilterWords) -> CaseFilter:
        """Turn typed names into ids, and keep staff to their own cases."""
        if isinstance(wanted, FilterWords):
            owner = None
            if wanted.staff:
                prefix = search_key(wanted.staff)
                owner = next(
                    (
                        p.id
                        for p in await self.uow.staff.everyone()
                        if search_key(p.name).startswith(prefix)
                    ),
                    -1,
                )
            customer = None
            if wanted.customer:
                found = await self.uow.customers.search(search_key(wanted.customer), 1)
                customer = found[0].id if found else -1
            wanted = CaseFilter(
                wanted.status, wanted.kind, owner, customer, wanted.start, wanted.end
            )
        if not actor.oversees:
            wanted = replace(wanted, owner_id=actor.id)
        return wanted

    async def list_follow_ups(self, actor: Staff) -> list[Outcome]:
        """List agreed follow-ups, soonest first: one's own, or everyone's for supervisors."""
        owner = None if actor.oversees else actor.id
        cases = await self.uow.cases.follow_ups(owner, None, self.policy.list_limit)
        rows = await self._with_customers(cases)
        return [ShowCases(cases=rows, everyone=actor.oversees, listing="followups")]

    async def _with_customers(self, cases: Sequence[Case]) -> list[tuple[Case, Customer | None]]:
        ids = {c.customer_id for c in cases if c.customer_id}
        customers = await self.uow.customers.by_ids(ids)
        return [(c, customers.get(c.customer_id or 0)) for c in cases]


__all__ = ["Desk", "InvalidInput"]
