"""The case log as the Mini App shows it: pages of cases, one case in full, a customer's
history, what waits for a decision, and deciding — over the chat's own use cases.

Access is the chat's: staff see their own cases only (whatever filter they send), supervisors
and admins everyone's; a case opens for its owner or a supervisor (`Desk.load`); decisions
go through `Desk.decide`, so the rules, events and notices are the chat buttons' own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from flows.case_filter import CaseFilter
from flows.compliance import Compliance, compliance
from flows.desk import Desk
from flows.errors import Refused
from flows.handover import staff_named
from flows.model import Case, CaseEvent, CaseKind, Staff
from flows.outcomes import CaseView, CustomerCard, Notify, Outcome, ShowCases, ShowTimeline
from flows.oversight import Oversight
from flows.parsing import shows_anything
from flows.policy import Policy
from flows.ports import UnitOfWork
from flows.procedures import request_waiting, waits_for_decision
from flows.procedures.exit_interview import RESULTS

#: Rows on one page of the log.
PAGE_SIZE = 50
#: What the log can be sorted by: when a case was opened, or last changed.
SORTS = ("opened", "updated")
#: A customer's cases listed on their page, newest first (the page says when more exist).
CUSTOMER_CASES = 50
#: The events that tell a problem review's way up the ladder, and an exit interview's story.
HISTORY_EVENTS: dict[str, tuple[str, ...]] = {
    CaseKind.problem_review: (
        "next",
        "skip",
        "wait",
        "resolved",
        "request_decision",
        "straight_to_decision",
        "approved",
        "declined",
        "later",
        "concluded",
    ),
    CaseKind.exit_interview: ("answered", *RESULTS),
}


#: A row's place in the log's order: its sort value and its case number.
Cursor = tuple[datetime | None, int]


@dataclass(frozen=True)
class LogQuery:
    """One page of the log: the `/cases` filter, a customer search, and the order."""

    filter: CaseFilter = field(default_factory=lambda: CaseFilter(status="-"))
    search: str | None = None  # folded name, or phone digits
    sort: str = "opened"
    descending: bool = True
    limit: int = PAGE_SIZE
    #: Keyset paging: the page starts after this row of the order — its sort value (when
    #: opened or last changed) and case number. A case that changes between two pages moves
    #: in the order without repeating or hiding another; `filter.offset` is for old clients.
    after: Cursor | None = None
    #: How many rows the pages before this one showed: its rows are counted on from there
    #: ("Cases 51–100").
    shown: int = 0


@dataclass(frozen=True)
class LogRow:
    """One case as a row of the log."""

    case_id: int
    kind: str
    state: str
    owner: str
    customer_id: int | None
    customer: str | None
    phone: str | None
    opened_at: datetime
    updated_at: datetime | None
    overdue_since: datetime | None
    owner_active: bool = True  # one who has left is named as such
    resolution: str | None = None  # how it ended: one ended early is said so, not "cancelled"


@dataclass(frozen=True)
class LogPage:
    """A page of the log, the query that drew it (as enforced), and whether more follow."""

    rows: Sequence[LogRow]
    query: LogQuery
    more: bool

    @property
    def next(self) -> Cursor | None:
        """Where the next page starts (after the last row), or None when none follows."""
        if not self.more or not self.rows:
            return None
        last = self.rows[-1]
        return (last.opened_at if self.query.sort == "opened" else last.updated_at, last.case_id)


@dataclass
class CaseFile:
    """One case in full: its timeline, step compliance, and the decision it waits for."""

    timeline: ShowTimeline
    compliance: Compliance | None  # complaints only
    request: Notify | None = None  # drawn as the chat draws it, addressed to the reader
    may_decide: bool = False


@dataclass(frozen=True)
class Approvals:
    """The requests a supervisor may decide, oldest first; whether more wait than listed;
    and how many wait for another supervisor (their own cases, requests they asked for)."""

    requests: Sequence[Notify]
    more: bool
    elsewhere: int


@dataclass
class CustomerFile:
    """A customer's card, their newest cases, and the ladder and exit-interview events of
    them; `more`: the customer has more cases the reader may read than are listed."""

    card: CustomerCard
    cases: Sequence[Case]
    history: Sequence[tuple[str, CaseEvent]]  # (the case's kind, the event)
    people: dict[int, Staff]
    more: bool = False


class CaseLogReader(Protocol):
    """The reads the log needs beyond the repositories."""

    async def page(self, query: LogQuery, tz: ZoneInfo) -> Sequence[LogRow]: ...


class CaseLog:
    """Use cases of the Mini App, over one unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        reader: CaseLogReader,
        policy: Policy,
        clock: Callable[[], datetime],
    ) -> None:
        self.uow = uow
        self.reader = reader
        self.policy = policy
        self.desk = Desk(uow, policy, clock)
        self.oversight = Oversight(uow, policy, clock)

    async def page(self, actor: Staff, query: LogQuery) -> LogPage:
        """One page of cases: everyone's for supervisors, one's own for staff."""
        if not actor.oversees:
            query = replace(query, filter=replace(query.filter, owner_id=actor.id))
        rows = await self.reader.page(replace(query, limit=query.limit + 1), self.desk.tz(actor))
        return LogPage(rows[: query.limit], query, more=len(rows) > query.limit)

    async def case(self, actor: Staff, case_id: int) -> CaseFile:
        """A case's whole timeline, its step compliance, and the decision it waits for."""
        (shown,) = await self.desk.lists.timeline(actor, case_id)
        assert isinstance(shown, ShowTimeline)
        case = shown.view.case
        request = await self.request(actor, shown.view)
        return CaseFile(
            timeline=shown,
            compliance=compliance(shown.events) if case.kind == CaseKind.complaint else None,
            request=request,
            may_decide=request is not None and self.may_decide(actor, case),
        )

    async def request(self, reader: Staff, view: CaseView) -> Notify | None:
        """The decision a case waits for, as the chat asks supervisors for it; None if none."""
        decisions = self.desk.decisions
        if not waits_for_decision(view.case):
            return None
        kind, params = await decisions.request_facts(view.case)
        return Notify(reader, kind, view, params)

    def may_decide(self, actor: Staff, case: Case) -> bool:
        """Tell whether `actor` may decide on `case`, by the rule `Decisions.decide` applies."""
        return self.desk.decisions.may_decide(actor, case)

    async def customer(self, actor: Staff, customer_id: int) -> CustomerFile:
        """A customer's card, cases, ladder history and exit interviews: staff list and read
        the history of their own cases only (as `/cases` and `/case` show them), never a
        colleague's; supervisors everyone's."""
        (card,) = await self.oversight.card(actor, customer_id)
        assert isinstance(card, CustomerCard)
        # newest first; staff list their own cases only, as `/cases` and the timeline do
        readable = CaseFilter(
            status="-", customer_id=customer_id, owner_id=None if actor.oversees else actor.id
        )
        found = await self.uow.cases.find(readable, CUSTOMER_CASES + 1, self.desk.tz(actor))
        cases, more = found[:CUSTOMER_CASES], len(found) > CUSTOMER_CASES
        kind_of = {case.id or 0: case.kind for case in cases if case.kind in HISTORY_EVENTS}
        events = await self.uow.events.of_kinds(
            set(kind_of), {kind for kinds in HISTORY_EVENTS.values() for kind in kinds}
        )
        order = {case.id or 0: n for n, case in enumerate(cases)}  # the cases' own order
        history = [
            (kind_of[e.case_id], e)
            for e in sorted(events, key=lambda e: order[e.case_id])
            if e.kind in HISTORY_EVENTS[kind_of[e.case_id]]
        ]
        people = await self.uow.staff.by_ids(staff_named(e for _, e in history))
        return CustomerFile(card=card, cases=cases, history=history, people=people, more=more)

    async def approvals(self, actor: Staff) -> Approvals:
        """What waits for the supervisor's decision, oldest first, as `/approvals` lists it:
        only what they may decide, whether more waits than it lists, and how many requests
        wait for another supervisor."""
        (listed,) = await self.oversight.approvals(actor)
        assert isinstance(listed, ShowCases)
        waiting = [case for case, _ in listed.cases]
        requests = []
        for case in waiting:
            request = await self.request(actor, await self.desk.view(case))
            if request is not None:
                requests.append(request)
        return Approvals(requests, listed.more, listed.elsewhere)

    async def decide(
        self, actor: Staff, case_id: int, version: int, verdict: str, comment: str | None
    ) -> list[Outcome]:
        """Decide as the chat's buttons do, then add the comment, if one, as the chat does;
        what the chat waits for from the supervisor is left as it is. A request decided
        meanwhile (by someone else, or by them on another page), put off or withdrawn is
        refused saying so, as their copy in the chat says it once redrawn. A comment that shows
        nothing (spaces, a zero-width space, a direction mark) is no comment: the box looked
        empty, so the decision is taken without one rather than refused."""
        if not actor.oversees:
            raise Refused("error.supervisors_only")
        decisions = self.desk.decisions
        case = await decisions.load(actor, case_id)
        waiting = request_waiting(case.state, case.draft, case.version)  # before deciding
        try:
            outcomes = await decisions.decide(actor, case_id, version, verdict, focus=False)
        except Refused as refused:  # decided meanwhile: by whom and how, not only "moved on"
            if refused.key != "approval.already_decided" or waiting == version:
                raise
            raise await decisions.decided_before(actor, case) from refused
        if comment is not None and shows_anything(comment):
            case = await decisions.load(actor, case_id)
            return [*outcomes, *await decisions.comment(actor, case, comment, focus=False)]
        return outcomes
