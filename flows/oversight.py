"""What supervisors look at: customer cards, customers at risk, pending decisions, staff."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC

from flows import lifecycle
from flows.address import customer_search, rename
from flows.case_filter import CaseFilter
from flows.casework import CaseWork
from flows.errors import Refused
from flows.formats import quoted
from flows.lifecycle import CUSTOMER_LIFE
from flows.model import Case, Customer, CustomerStatus, Expecting, Staff
from flows.outcomes import (
    CARRY_ON,
    LEAVE_QUESTION,
    CustomerCard,
    Outcome,
    Say,
    ShowCases,
    StaffOverview,
)
from flows.parsing import clean_name, clean_words
from flows.people import People

log = logging.getLogger("flows.oversight")

#: Texts that answer a question about a customer rather than a case: why they may leave
#: (after "flag at risk" on their card), how to address them (after "form of address").
CUSTOMER_TEXTS = (Expecting.at_risk_reason, Expecting.customer_address)
#: The question each of them asks.
QUESTIONS: dict[str, str] = {
    Expecting.at_risk_reason: "customer.at_risk_why",
    Expecting.customer_address: "customer.ask_address",
}
#: The event logged on a customer's open cases when how they are addressed is changed.
ADDRESS_CHANGED = "address_changed"
#: How many customers a search lists to pick from.
PICK = 8


class Oversight(CaseWork):
    """Customers' cards and what supervisors look at (staff see what is theirs)."""

    async def find_customer(self, actor: Staff, query: str) -> list[Outcome]:
        """Show the card of the customer matching a name or phone, or the matches to pick."""
        text = clean_name(query, self.policy.name_limit)
        key = customer_search(text, self.policy.name_limit)
        matches = await self.uow.customers.search(key, PICK + 1)  # one more: are there more?
        if not matches:
            return [Say("customer.none", {"query": text})]
        if len(matches) > 1:
            more = len(matches) > PICK
            return [CustomerCard(customer=None, record=None, matches=matches[:PICK], more=more)]
        return await self.card(actor, matches[0].id or 0)

    async def card(self, actor: Staff, customer_id: int) -> list[Outcome]:
        """Show one customer's card."""
        customer = await self._customer(customer_id)
        record = await self.record(customer)
        cases = await self.uow.cases.open_for_customer(customer_id)
        # where a review stands is a fact of that case: staff read it of their own only
        readable = [c for c in cases if actor.oversees or c.owner_id == actor.id]
        rung = next((c.state for c in readable if c.kind == "problem_review"), None)
        flagged_by = await self.uow.staff.get(customer.at_risk_by) if customer.at_risk_by else None
        heard_in = customer.at_risk_case_id
        flagged_in = await self.uow.cases.get(heard_in) if heard_in else None
        left_in, left_why = await self._defection(customer)
        return [
            CustomerCard(
                customer=customer,
                record=record,
                matches=(),
                rung=rung,
                flagged_by=flagged_by,
                flagged_in=flagged_in,
                left_in=left_in,
                left_why=left_why,
            )
        ]

    async def _defection(self, customer: Customer) -> tuple[Case | None, list[str]]:
        """The exit interview that recorded a customer who left us leaving, and the reasons
        it heard; none for a customer who has not left."""
        if customer.status != CustomerStatus.defected:
            return None, []
        closed = CaseFilter(status="c", kind="e", customer_id=customer.id)
        interviews = await self.uow.cases.find(closed, PICK, UTC)
        left_in = next((c for c in interviews if c.state == CustomerStatus.defected), None)
        if left_in is None:  # marked so before exit interviews recorded it
            return None, []
        events = await self.uow.events.for_case(left_in.id or 0)
        said: list[object] = next(
            (e.data["reasons"] for e in events if "reasons" in (e.data or {})), []
        )
        return left_in, [str(reason) for reason in said]

    async def flag_at_risk(self, actor: Staff, customer_id: int) -> list[Outcome]:
        """Start flagging a customer at risk by hand: ask why."""
        customer = await self._customer(customer_id)
        self.check_not_forgotten(customer)
        if not CUSTOMER_LIFE.may(customer, "flag_at_risk"):
            return await self._not_flaggable(actor, customer)
        expecting = Expecting.at_risk_reason
        return [self._ask(actor, customer, expecting, QUESTIONS[expecting])]

    def _ask(self, actor: Staff, customer: Customer, expecting: str, key: str) -> Say:
        """Ask a question about a customer, with its way out: back to the case that was
        asking before it, which stays named (`case_left`) and is drawn again once the
        answer is taken; or, with none, a button that leaves the question. A button of an
        older customer card pressed by mistake in the middle of a case never takes the
        case's next answer as a reason or a form of address."""
        kept = self.case_left(actor)
        actor.expecting, actor.expecting_case_id = expecting, kept
        actor.expecting_customer_id = customer.id
        if kept is not None:
            return Say(key, {"name": customer, "case": kept}, offer=CARRY_ON)
        return Say(key, {"name": customer, "customer": customer.id}, offer=LEAVE_QUESTION)

    @staticmethod
    def case_left(actor: Staff) -> int | None:
        """The case whose question the person left for one about a customer (a case asking
        for an answer, a note, a reason…; not a supervisor's comment on a decision)."""
        if actor.expecting is None or actor.expecting == Expecting.approval_comment:
            return None
        return actor.expecting_case_id

    async def leave_question(self, actor: Staff, customer_id: int) -> list[Outcome]:
        """Show the customer's card, leaving a question about a customer unanswered."""
        if actor.expecting in CUSTOMER_TEXTS:
            self.focus(actor, None, None)
        return await self.card(actor, customer_id)

    async def _back_to_case(self, actor: Staff, case_id: int | None) -> list[Outcome]:
        """The case left for a question about a customer, drawn again (if it is still open
        and still theirs): what is typed next answers it, as before."""
        if case_id is None:
            return []
        try:
            case = await self.load(actor, case_id)
        except Refused:
            return []
        return [] if self.ended(case) else [await self.show(actor, case)]

    async def at_risk_reason(self, actor: Staff, raw: str) -> list[Outcome]:
        """Flag the customer whose reason was asked for, with the reason typed."""
        customer_id, left = actor.expecting_customer_id or 0, actor.expecting_case_id
        reason = clean_words(raw, self.policy.text_limit)
        self.focus(actor, None, None)
        flagged = await self.flag(actor, customer_id, reason)
        return [*flagged, *await self._back_to_case(actor, left)]

    async def flag(
        self, actor: Staff, customer_id: int, reason: str, heard_in: int | None = None
    ) -> list[Outcome]:
        """Flag a customer at risk with a reason: typed, or what the check-in `heard_in`
        heard (what was typed there; the card words the rest in each reader's language),
        logged on that check-in's timeline too. One flagged, lost or forgotten meanwhile is
        left as they are."""
        customer = await self._customer(customer_id, held=True)
        if customer.forgotten:
            return [Say("customer.forgotten")]
        if not CUSTOMER_LIFE.may(customer, "flag_at_risk"):
            return await self._not_flaggable(actor, customer)
        lifecycle.flag(customer, self.clock(), reason, actor.id, heard_in)
        log.info("customer %s flagged at risk by staff %s", customer.id, actor.id)
        heard = await self.uow.cases.get(heard_in) if heard_in is not None else None
        if heard is not None:  # pressed on the check-in's card: an entry of its timeline
            self.log(heard, actor, "at_risk", {"reason": reason})
        await self._log_on_open_cases(customer, actor, "at_risk", {"reason": reason}, heard_in)
        return [
            Say("customer.flagged", {"name": customer}),
            *await self.card(actor, customer.id or 0),
        ]

    async def _log_on_open_cases(
        self,
        customer: Customer,
        actor: Staff,
        kind: str,
        data: dict[str, str],
        logged: int | None = None,
    ) -> None:
        """Log a change made on the customer's record on the timeline of each of their open
        cases (but `logged`, which has it already): whoever reads a case's log sees why its
        card changed."""
        for case in await self.uow.cases.open_for_customer(customer.id or 0):
            if case.id != logged:
                self.log(case, actor, kind, data)

    async def ask_address(self, actor: Staff, customer_id: int) -> list[Outcome]:
        """Ask how to address a customer: a title, a given name, or both ("chị Mai")."""
        customer = await self._customer(customer_id)
        self.check_not_forgotten(customer)
        expecting = Expecting.customer_address
        return [self._ask(actor, customer, expecting, QUESTIONS[expecting])]

    async def text(self, actor: Staff, raw: str, forwarded: bool = False) -> list[Outcome]:
        """Take typed text as the answer about a customer: an at-risk reason or an address.
        A message `forwarded` from someone else is never the reason (the person's own
        account of why): nothing is saved, and the question is asked again."""
        if actor.expecting == Expecting.at_risk_reason:
            if forwarded:
                return await self.not_typed(actor, "input.forwarded_not_kept", raw)
            return await self.at_risk_reason(actor, raw)
        customer = await self._customer(actor.expecting_customer_id or 0, held=True)
        typed = clean_words(raw, self.policy.name_limit, one_line=True)
        left = actor.expecting_case_id
        self.focus(actor, None, None)
        if customer.forgotten:  # since the question was asked
            return [Say("customer.forgotten"), *await self._back_to_case(actor, left)]
        naming = rename(customer, typed)
        log.info("customer %s: form of address changed by staff %s", customer.id, actor.id)
        await self._log_on_open_cases(customer, actor, ADDRESS_CHANGED, {"text": typed})
        saved = Say("customer.address_read_as", {"said": naming.said}) if naming.said else None
        card = await self.card(actor, customer.id or 0)
        return [
            saved or Say("customer.address_saved"),
            *card,
            *await self._back_to_case(actor, left),
        ]

    async def not_typed(
        self, actor: Staff, told: str | None = None, typed: str | None = None
    ) -> list[Outcome]:
        """Refuse what cannot answer a question about a customer (a photo, a file, a
        sticker…; or a message edited, `told` its own words, what was `typed` quoted back in
        them): nothing is saved, and the question is asked again, still open, with its way
        out. Before, a photo went to the case left for the question, and the question was
        dropped without a word."""
        customer = await self._customer(actor.expecting_customer_id or 0)
        if customer.forgotten:  # since the question was asked: nothing more to ask
            left = actor.expecting_case_id
            self.focus(actor, None, None)
            return [Say("customer.forgotten"), *await self._back_to_case(actor, left)]
        return [Say(told or "customer.not_typed", quoted(typed)), *await self.asked_again(actor)]

    async def asked_again(self, actor: Staff) -> list[Outcome]:
        """The question about a customer that waits for the person's typing, asked again
        with its way out (below the answer to something else: a command, a photo…); none
        once the customer is gone or forgotten."""
        customer = await self.uow.customers.get(actor.expecting_customer_id or 0)
        if customer is None or customer.forgotten:
            return []
        expecting = str(actor.expecting)
        return [self._ask(actor, customer, expecting, QUESTIONS[expecting])]

    async def _customer(self, customer_id: int, held: bool = False) -> Customer:
        """The customer, or a refusal if they are gone; `held` where a decision about them
        follows (`CustomerRepository.hold`)."""
        repository = self.uow.customers
        customer = await (repository.hold if held else repository.get)(customer_id)
        if customer is None:
            raise Refused("customer.gone")
        return customer

    async def _not_flaggable(self, actor: Staff, customer: Customer) -> list[Outcome]:
        at_risk = customer.status == CustomerStatus.at_risk
        key = "customer.already_at_risk" if at_risk else "customer.not_active"
        return [Say(key, {"name": customer}), *await self.card(actor, customer.id or 0)]

    async def at_risk(self, actor: Staff) -> list[Outcome]:
        """List customers at risk, most valuable first (in the currency set, then others')."""
        most = self.policy.list_limit
        more = most + 1  # one more: are there more?
        customers = await self.uow.customers.at_risk(more, self.policy.currency)
        return [
            CustomerCard(
                customer=None,
                record=None,
                matches=customers[:most],
                listing="at_risk",
                more=len(customers) > most,
            )
        ]

    async def approvals(self, actor: Staff) -> list[Outcome]:
        """List what waits for the supervisor's decision, oldest first: only what they may
        decide, with how many more wait for another supervisor."""
        if not actor.oversees:
            raise Refused("error.supervisors_only")
        most = self.policy.list_limit
        cases, others = await self.waiting_decision(actor, most + 1)  # one more: are there?
        customers = await self.uow.customers.by_ids(
            {c.customer_id for c in cases if c.customer_id}
        )
        rows = [(c, customers.get(c.customer_id or 0)) for c in cases[:most]]
        more, left = len(cases) > most, await self.owners_left(cases[:most])
        return [
            ShowCases(
                cases=rows,
                everyone=True,
                listing="approvals",
                more=more,
                left=left,
                elsewhere=others,
            )
        ]

    async def staff_overview(self, actor: Staff) -> list[Outcome]:
        """Each person's open cases, overdue follow-ups and customers turned around."""
        if not actor.oversees:
            raise Refused("error.supervisors_only")
        people = {p.id: p for p in await self.uow.staff.everyone() if p.id is not None}
        figures = await self.uow.cases.figures_by_owner()
        rows = [(people[owner], counts) for owner, counts in figures.items() if owner in people]
        rows += [
            (p, {"open": 0, "overdue": 0, "turned_around": 0})
            for pid, p in people.items()
            if pid not in figures and p.active
        ]
        rows.sort(key=lambda r: (-r[1]["turned_around"], r[0].name))
        removable = await People(self.uow, self.policy, self.clock).removable(actor)
        return [StaffOverview(rows=rows, removable=removable)]

    async def remove_account(self, actor: Staff, staff_id: int) -> list[Outcome]:
        """Remove an account /staff offers to remove (one that joined after another of its
        name), say so, and draw the list again in place without it."""
        removed = await People(self.uow, self.policy, self.clock).remove_namesake(actor, staff_id)
        [overview] = await self.staff_overview(actor)
        assert isinstance(overview, StaffOverview)
        said = {"name": removed.name, "when": removed.created_at}
        return [replace(overview, redrawn=True), Say("staff.removed", said)]
