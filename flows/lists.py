"""Reading cases back: a case's timeline and files, lists of cases and of follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from flows.address import customer_search
from flows.case_filter import PAGE, CaseFilter, FilterWords
from flows.casework import CaseWork
from flows.errors import Refused
from flows.handover import staff_named
from flows.model import Case, Customer, Staff
from flows.outcomes import Outcome, SendFiles, ShowCases, ShowTimeline
from flows.oversight import PICK
from flows.parsing import InvalidInput, clean_name, search_key, shown_file_name


class Lists(CaseWork):
    """What staff read: their own cases; what supervisors read: everyone's."""

    async def timeline(self, actor: Staff, case_id: int) -> list[Outcome]:
        """Show a case's events in order."""
        case = await self.load(actor, case_id)
        events = await self.uow.events.for_case(case_id)
        people = await self.uow.staff.by_ids(staff_named(events))
        return [ShowTimeline(view=await self.view(case), events=events, people=people)]

    async def evidence_files(self, actor: Staff, case_id: int) -> list[Outcome]:
        """Send a case's photos and documents again: those still kept (a forgotten
        customer's went with their data)."""
        await self.load(actor, case_id)
        attached = [e for e in await self.uow.events.for_case(case_id) if e.kind == "evidence"]
        files = [
            (str(e.data.get("kind")), str(e.data["file_id"]), _under(e.data), e.at)
            for e in attached
            if e.data.get("file_id")
        ]
        if not files:
            raise Refused("evidence.forgotten" if attached else "evidence.none", case=case_id)
        return [SendFiles(case_id=case_id, files=files)]

    async def cases(
        self, actor: Staff, wanted: CaseFilter | FilterWords | None = None, turned: bool = False
    ) -> list[Outcome]:
        """List cases by filter, a page at a time: one's own, or everyone's for supervisors
        (`turned`: a page or a filter pressed on the list, drawn in its place)."""
        page = await self._resolve(actor, wanted or CaseFilter())
        cases = list(await self.uow.cases.find(page, PAGE + 1, self.tz(actor)))
        if not cases and page.offset:  # past the end (the list shrank since): from its start
            page = page.page(0)
            cases = list(await self.uow.cases.find(page, PAGE + 1, self.tz(actor)))
        rows = await self._with_customers(cases[:PAGE])
        more, left = len(cases) > PAGE, await self.owners_left(cases[:PAGE])
        shown = ShowCases(rows, actor.oversees, filter=page, more=more, left=left, turned=turned)
        return [shown]

    async def _resolve(self, actor: Staff, wanted: CaseFilter | FilterWords) -> CaseFilter:
        """Turn typed names into ids, and keep staff to their own cases."""
        if isinstance(wanted, FilterWords):
            owner = (
                await self._staff_named(wanted.staff) if wanted.staff and actor.oversees else None
            )
            customer = await self._customer_named(wanted.customer) if wanted.customer else None
            wanted = CaseFilter(
                wanted.status, wanted.kind, owner, customer, wanted.start, wanted.end
            )
        if not actor.oversees:
            wanted = replace(wanted, owner_id=actor.id)
        return wanted

    async def _staff_named(self, typed: str) -> int | None:
        """The one person on the staff whose name begins with `typed` (after @)."""
        key = search_key(typed)
        found = [p for p in await self.uow.staff.everyone() if search_key(p.name).startswith(key)]
        one = _the_one(found, [p for p in found if search_key(p.name) == key], typed, "staff")
        return one.id

    async def _customer_named(self, typed: str) -> int | None:
        """The one customer a name or phone finds, as /customer and intake find them."""
        text = clean_name(typed, self.policy.name_limit)
        found = await self.uow.customers.search(
            customer_search(text, self.policy.name_limit), PICK + 1
        )
        key = search_key(text)
        exact = [c for c in found if search_key(c.name) == key]
        return _the_one(found, exact, text, "customer").id

    async def follow_ups(self, actor: Staff) -> list[Outcome]:
        """List agreed follow-ups, soonest first: one's own, or everyone's for supervisors."""
        owner = None if actor.oversees else actor.id
        most = self.policy.list_limit
        cases = await self.uow.cases.follow_ups(owner, None, most + 1)  # one more: are there?
        rows = await self._with_customers(cases[:most])
        more, left = len(cases) > most, await self.owners_left(cases[:most])
        return [
            ShowCases(
                cases=rows, everyone=actor.oversees, listing="followups", more=more, left=left
            )
        ]

    async def _with_customers(self, cases: Sequence[Case]) -> list[tuple[Case, Customer | None]]:
        ids = {c.customer_id for c in cases if c.customer_id}
        customers = await self.uow.customers.by_ids(ids)
        return [(c, customers.get(c.customer_id or 0)) for c in cases]


Named = TypeVar("Named", Staff, Customer)


def _the_one(found: Sequence[Named], exact: Sequence[Named], typed: str, who: str) -> Named:
    """The one of `found` a name typed in a filter means: the only one it fits, or the only
    one it names in full. Refused saying it names nobody, or whom it could mean."""
    if len(exact) == 1:
        return exact[0]
    if not found:
        raise InvalidInput(f"cases.no_{who}", name=typed)
    if len(found) > 1:
        names = ", ".join(sorted(f.name for f in found[:PICK]))  # two of one name: twice
        raise InvalidInput(f"cases.several_{who}", name=typed, names=names)
    return found[0]


#: Most characters of a file's own words sent under it again (Telegram takes 1,024).
CAPTION_ROOM = 1000


def _under(evidence: dict[str, object]) -> str | None:
    """What goes under a file sent again: its name, else the words sent with it."""
    words = shown_file_name(evidence.get("name")) or evidence.get("caption")
    return str(words)[:CAPTION_ROOM] if words else None
