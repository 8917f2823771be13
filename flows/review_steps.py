"""Use cases of the problem-customer review, and incidents on any case (mixed into Desk)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.check_in import HEARD, Visit
from flows.complaint import COMPLAINT
from flows.errors import Refused
from flows.exit_interview import Stage
from flows.forms import ASKED_BY, Field
from flows.model import (
    OPENS_FOR,
    Case,
    CaseKind,
    Customer,
    Incident,
    IncidentKind,
    Reminder,
    Staff,
)
from flows.outcomes import CustomerRecord, Outcome, Say
from flows.policy import Policy
from flows.ports import UnitOfWork
from flows.reminders import Kind
from flows.review import GROUNDS, LADDER, REVIEW, Rung, move_of

#: The side form that documents an incident, from any case with a customer.
INCIDENT_FORM: tuple[Field, ...] = (
    Field("incident_kind", "choice", tuple(IncidentKind)),
    Field("incident_date", "past_date", ("today",)),
    Field("incident_note", "text"),
)

#: Goodwill fields cleared when a supervisor declines the amount.
GOODWILL_FIELDS = ("goodwill", "goodwill_value", "goodwill_over_limit", "goodwill_approval")


class ReviewSteps:
    """Problem reviews and incidents; relies on the Desk for loading, logging and showing."""

    uow: UnitOfWork
    policy: Policy
    clock: Callable[[], datetime]
    _log: Callable[..., None]
    _touch: Callable[[Case], None]
    _show: Callable[..., Any]
    _field: Callable[[Case], Field | None]
    tz: Callable[[Staff], ZoneInfo]

    # ------------------------------------------------------------ the record

    async def record(
        self, customer: Customer | None, shown_from: int | None = None
    ) -> CustomerRecord | None:
        """Sum up a customer from the log: tenure, value, complaints, incidents.

        `shown_from` is the case the record is shown on: not listed among the open ones.
        """
        if customer is None or customer.id is None:
            return None
        today = self.clock().date()
        tenure = (today - customer.since).days / 365.25 if customer.since else None
        figures = await self.uow.cases.customer_figures(customer.id)
        return CustomerRecord(
            tenure_years=tenure,
            yearly_value=customer.yearly_value,
            lifetime_value=(
                round(customer.yearly_value * tenure) if customer.yearly_value and tenure else None
            ),
            complaints=figures["complaints"],
            reopens=figures["reopens"],
            compensation=figures["compensation"],
            open_cases=[c for c in figures["open_cases"] if c != shown_from],
            incidents=list(await self.uow.incidents.for_customer(customer.id)),
        )

    # ------------------------------------------------------------- opening

    async def new_review(self, actor: Staff, customer_id: int | None = None) -> list[Outcome]:
        """Open a problem-customer review; it starts on the first rung, reassess."""
        return await self._open_about(actor, CaseKind.problem_review, Rung.reassess, customer_id)

    async def new_exit_interview(
        self, actor: Staff, customer_id: int | None = None
    ) -> list[Outcome]:
        """Open an exit interview with a customer who left or is leaving."""
        return await self._open_about(actor, CaseKind.exit_interview, Stage.interview, customer_id)

    async def new_check_in(self, actor: Staff, customer_id: int | None = None) -> list[Outcome]:
        """Open a check-in with a current customer: why they buy, what to improve."""
        return await self._open_about(actor, CaseKind.check_in, Visit.check_in, customer_id)

    async def _open_about(
        self, actor: Staff, kind: str, state: str, customer_id: int | None
    ) -> list[Outcome]:
        """Open a case about a customer, at its first state; ask who unless it is known."""
        customer = await self._openable(customer_id, kind)
        now = self.clock()
        case = await self.uow.cases.add(
            Case(kind=kind, owner_id=actor.id or 0, opened_at=now, updated_at=now, state=state)
        )
        self._log(case, actor, "opened", {}, state)
        if customer is not None:
            return await self.adopt_customer(actor, case, customer)
        return [await self._show(actor, case)]

    async def _openable(self, customer_id: int | None, kind: str) -> Customer | None:
        """Load the customer a case is opened for, if any, checking it may be opened."""
        customer = await self.uow.customers.get(customer_id) if customer_id else None
        if customer is not None:
            self.check_opens(customer, kind)
        return customer

    def check_opens(self, customer: Customer, kind: str) -> None:
        """Refuse a procedure the customer's status rules out (a review of a lost customer)."""
        if kind not in OPENS_FOR.get(customer.status, ()):
            raise Refused(f"customer.refused.{kind}", name=customer.name)

    async def adopt_customer(self, actor: Staff, case: Case, customer: Customer) -> list[Outcome]:
        """Attach the customer; in a review, a long-standing one brings the caution question."""
        case.customer_id = customer.id
        tenure = self._tenure(customer)
        long_standing = tenure is not None and tenure >= self.policy.long_standing_years
        if case.kind == CaseKind.problem_review and long_standing:
            case.draft = {**case.draft, "long_standing": True}
        self._touch(case)
        self._log(case, actor, "customer_chosen", {"customer": customer.id}, case.state)
        return [await self._show(actor, case)]

    def _tenure(self, customer: Customer) -> float | None:
        if customer.since is None:
            return None
        return (self.clock().date() - customer.since).days / 365.25

    # ------------------------------------------------------------ incidents

    async def open_incident(self, actor: Staff, case: Case) -> list[Outcome]:
        """Start documenting an incident about the case's customer."""
        if case.customer_id is None:
            raise Refused("incident.no_customer", case=case.id)
        case.draft = {**case.draft, "_side": "incident"}
        self._touch(case)
        return [await self._show(actor, case)]

    async def record_incident(self, actor: Staff, case: Case) -> list[Outcome]:
        """Store the documented incident and return to the step."""
        draft = case.draft
        assert case.customer_id is not None
        incident = Incident(
            customer_id=case.customer_id,
            kind=draft["incident_kind"],
            happened_on=date.fromisoformat(draft["incident_date"]),
            note=draft["incident_note"],
            created_by=actor.id,
            created_at=self.clock(),
            case_id=case.id,
        )
        self.uow.incidents.add(incident)
        self._log(
            case,
            actor,
            "incident",
            {
                "incident_kind": incident.kind,
                "incident_date": draft["incident_date"],
                "incident_note": incident.note,
            },
            case.state,
        )
        case.draft = {
            k: v for k, v in draft.items() if k != "_side" and not k.startswith("incident_")
        }
        return [Say("incident.saved", {"case": case.id}), await self._show(actor, case)]

    # --------------------------------------------------------------- ladder

    async def straight_to_decision(self, actor: Staff, case: Case) -> list[Outcome]:
        """Skip the ladder, allowed only with documented abuse of staff or unethical conduct."""
        if case.kind != CaseKind.problem_review or case.state not in LADDER:
            raise Refused("error.not_now", case=case.id)
        incidents = await self.uow.incidents.for_customer(case.customer_id or 0)
        if not any(i.kind in GROUNDS for i in incidents):
            raise Refused("review.no_grounds", case=case.id)
        case.draft = {"straight": True, "grounds": True}
        self._touch(case)
        return [await self._show(actor, case)]

    async def skip_rung(self, actor: Staff, case: Case, reason: str) -> list[Outcome]:
        """Move past a rung without trying it; the reason is logged."""
        step = case.state
        REVIEW.fire(case, "skip")
        case.draft = {}
        self._touch(case)
        self._log(case, actor, "skip", {"reason": reason, "to": case.state}, step)
        return [await self._show(actor, case, done_step=step, done_record={"reason": reason})]

    async def after_fill(
        self, actor: Staff, case: Case, field: Field, value: Any
    ) -> list[Outcome]:
        """React to answers that need more than storing: goodwill limits, notice dates, moves."""
        if field.name == "goodwill_value" and int(value) > self.policy.staff_compensation_limit:
            case.draft = {**case.draft, "goodwill_over_limit": True}
        if case.state == Rung.termination_conversation:
            self.log_move_if_made(actor, case, field)
        if field.name == "renewal_date":
            hours, tz, now = self.policy.hours, self.tz(actor), self.clock()
            notice = hours.open_day_until(
                _months_before(date.fromisoformat(value), self.policy.notice_months)
            )
            when = datetime.combine(
                max(notice, now.astimezone(tz).date()), time(self.policy.default_hour), tzinfo=tz
            )
            self.uow.reminders.add(
                Reminder(
                    kind=Kind.termination_notice,
                    due_at=hours.next_open(max(when, now), tz),
                    recipient_id=case.owner_id,
                    case_id=case.id,
                    created_at=self.clock(),
                    payload={"notice": notice.isoformat()},
                )
            )
            return [
                Say(
                    "review.notice_date",
                    {
                        "case": case.id,
                        "notice": notice,
                        "months": self.policy.notice_months,
                    },
                )
            ]
        return []

    def log_move_if_made(self, actor: Staff, case: Case, field: Field) -> None:
        """Log a move of the termination conversation as soon as its last field is in."""
        move = move_of(field.name)
        if move is None:
            return
        name, fields = move
        following = self._field(case)
        if following is not None and following.name in fields:
            return  # the move goes on (a goodwill amount waiting for approval, say)
        made = {f: case.draft[f] for f in fields if f in case.draft}
        self._log(case, actor, f"move_{name}", made, case.state)

    async def apply_review(
        self, actor: Staff, case: Case, trigger: str, draft: dict[str, Any]
    ) -> None:
        """Carry out what a completed rung or conversation means for the case and customer."""
        now = self.clock()
        if trigger == "resolved":
            case.resolution, case.closed_at = "retained", now
        elif trigger == "wait":
            until = draft.get("wait_until") or draft.get("caution_until")
            if until:
                self.uow.reminders.add(
                    Reminder(
                        kind=Kind.ladder_check,
                        due_at=self.policy.hours.next_open(
                            datetime.fromisoformat(until), self.tz(actor)
                        ),
                        recipient_id=case.owner_id,
                        case_id=case.id,
                        created_at=now,
                        payload={"state": case.state, "version": case.version + 1},
                    )
                )
        elif trigger == "concluded":
            case.resolution, case.closed_at = "terminated", now
            await self._terminate(actor, case)

    async def apply_exit(self, case: Case, trigger: str, draft: dict[str, Any]) -> None:
        """Close an exit interview: the customer defected, or was won back."""
        if trigger not in (Stage.defected, Stage.won_back):
            return
        events = await self.uow.events.for_case(case.id or 0)
        answered = next((e.data for e in reversed(events) if e.kind == "answered"), {})
        draft["reasons"] = list(answered.get("exit_reasons", []))
        customer = await self.uow.customers.get(case.customer_id or 0)
        if customer is not None:
            customer.status = "defected" if trigger == Stage.defected else "active"
        case.resolution, case.closed_at = str(trigger), self.clock()

    async def apply_check_in(self, case: Case, trigger: str, draft: dict[str, Any]) -> None:
        """Close a check-in; a customer at risk who says they stay is at risk no more."""
        if trigger != HEARD:
            return
        customer = await self.uow.customers.get(case.customer_id or 0)
        if customer is not None and customer.status == "at_risk" and draft["standing"] == "stays":
            customer.status = "active"
            customer.at_risk_since = customer.at_risk_reason = customer.at_risk_by = None
        case.resolution, case.closed_at = str(draft["standing"]), self.clock()

    async def flag_at_risk_if_due(self, actor: Staff, case: Case) -> None:
        """Flag a customer at risk after too many complaints in the configured window."""
        customer = await self.uow.customers.get(case.customer_id or 0)
        if customer is None or customer.status != "active":
            return
        since = self.clock() - timedelta(days=self.policy.at_risk_days)
        count = await self.uow.cases.complaints_since(customer.id or 0, since)
        if count >= self.policy.at_risk_complaints:
            customer.status, customer.at_risk_since = "at_risk", self.clock()
            self._log(
                case,
                actor,
                "at_risk",
                {"complaints": count, "days": self.policy.at_risk_days},
                case.state,
            )

    async def _terminate(self, actor: Staff, case: Case) -> None:
        customer = await self.uow.customers.get(case.customer_id or 0)
        assert customer is not None
        customer.status = "terminated"
        for other in await self.uow.cases.open_for_customer(customer.id or 0):
            if other.id == case.id or not COMPLAINT.may(other, "cancel"):
                continue
            step = other.state
            COMPLAINT.fire(other, "cancel")
            other.resolution, other.closed_at = "customer_terminated", self.clock()
            other.follow_up_due_at = None
            self._touch(other)
            self._log(other, actor, "cancel", {"terminated_by": case.id, "to": other.state}, step)

    # ------------------------------------------------------------- decisions

    async def summary(self, case: Case) -> dict[str, Any]:
        """What a supervisor needs to decide on a termination: reasons and ladder results."""
        events = await self.uow.events.for_case(case.id or 0)
        ladder = [
            (e.step, e.kind, e.data.get("rung_action") or e.data.get("reason") or "")
            for e in events
            if e.kind in ("next", "skip", "wait", "request_decision", "straight_to_decision")
        ]
        last = next(
            (
                e.data
                for e in reversed(events)
                if e.kind in ("request_decision", "straight_to_decision")
            ),
            {},
        )
        return {
            "ladder": ladder,
            "reasons": {r: last.get(f"note_{r}", "") for r in last.get("reasons", [])},
            "types": list(last.get("client_types") or []),
        }

    async def decide_field(self, case: Case, field: Field, trigger: str) -> None:
        """Answer an approval asked in the middle of a step (goodwill above the limit)."""
        if trigger == "approved":
            case.draft = {k: v for k, v in case.draft.items() if k != ASKED_BY}
            case.draft[field.name] = "approved"
        elif trigger == "declined":
            case.draft = {
                k: v for k, v in case.draft.items() if k not in (*GOODWILL_FIELDS, ASKED_BY)
            }
        else:
            raise Refused("approval.already_decided", case=case.id)

    async def after_decision(self, case: Case, trigger: str) -> None:
        """Prepare what follows a decision on a review."""
        if case.kind != CaseKind.problem_review:
            return
        if trigger == "approved":
            customer = await self.uow.customers.get(case.customer_id or 0)
            case.draft = {"business": bool(customer and customer.kind == "business")}
        elif trigger == "declined":
            case.draft = {}


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)
