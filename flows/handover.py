"""A supervisor hands a case over to another active member of staff, or takes it themselves.

In one unit of work: the case's owner changes; the timeline records who handed it from whom
to whom (`handed_over`, append-only like every event); the case's pending reminders go to
the new owner (its own and the copies handed to the supervisors when the owner left); a
request waiting for a decision keeps waiting, its answer now for the new owner: it is for
others than the new owner to decide (the copies the new owner had say so:
`storage.request_copies`), and a supervisor who may decide it now and could not before (its
former owner) is sent it. The new owner is sent the case at its step, the former owner (if
still active) is told, and the supervisor sees the result. The buttons carry the case's
version: pressed after the case changed, they change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flows.casework import CaseWork, never_added
from flows.decisions import Decisions
from flows.errors import Refused
from flows.forms import ASKED_BY
from flows.model import Case, CaseEvent, Expecting, Staff
from flows.outcomes import Notify, Outcome, PickOwner, Say
from flows.procedures import waits_for_decision
from flows.reminding import OWNER_WORK

#: Event logged on the case's timeline when its owner changes.
HANDED_OVER = "handed_over"
#: Whom a hand-over was from and to, in its event's data: by staff id, kept when a forgotten
#: customer's events are redacted, and by name, as it was then (removed with the rest).
PARTIES = {"giver": ("from_staff", "from_name"), "taker": ("to_staff", "to_name")}
#: The notice the new owner gets (the case at its step), and the one the former owner gets:
#: handed to someone else, or taken by the supervisor who acted.
HANDED_TO_YOU, HANDED_AWAY, TAKEN_AWAY = "handed_to_you", "handed_away", "taken_away"
#: The notices that tell a former owner the case is no longer theirs.
AWAY = frozenset({HANDED_AWAY, TAKEN_AWAY})
#: How many people one page of the picker lists.
PICK_PAGE = 8


def staff_named(events: Iterable[CaseEvent]) -> set[int]:
    """The staff a case's events name: who did each thing, and whom it was handed from and
    to."""
    named = set()
    for event in events:
        named.add(event.actor_id)
        if event.kind == HANDED_OVER:
            named.update(event.data.get(key) for key, _ in PARTIES.values())
    return {person for person in named if isinstance(person, int) and person}


class HandOver(CaseWork):
    """Hand cases over, over one unit of work."""

    async def _checked(self, actor: Staff, case_id: int, version: int) -> Case:
        """The case a supervisor may hand over now, at the version their button was drawn
        for; anyone else is refused before the case is even read."""
        if not (actor.oversees and actor.active):
            raise Refused("handover.not_allowed")
        case = await self.load(actor, case_id, version)
        if self.ended(case):
            raise Refused("error.case_ended", case=case_id)
        return case

    async def pick(
        self, actor: Staff, case_id: int, version: int, page: int | None
    ) -> list[Outcome]:
        """Offer the active people the case may go to, a page at a time (None: the first,
        in a new message; a page turned is drawn in the list's place): the supervisor first
        (to take it themselves), then everyone else by name; never its owner."""
        case = await self._checked(actor, case_id, version)
        people = sorted(
            (p for p in await self.uow.staff.everyone() if p.active and p.id != case.owner_id),
            key=lambda p: (p.id != actor.id, p.name.casefold(), p.id or 0),
        )
        if not people:
            raise Refused("handover.nobody", case=case_id)
        pages = (len(people) + PICK_PAGE - 1) // PICK_PAGE
        turned, page = page is not None, min(max(page or 0, 0), pages - 1)
        shown = people[page * PICK_PAGE : (page + 1) * PICK_PAGE]
        more = (page + 1) * PICK_PAGE < len(people)
        return [PickOwner(await self.view(case), shown, page, more, actor.id or 0, turned)]

    async def pressed(self, actor: Staff, case_id: int, version: int, arg: str) -> list[Outcome]:
        """A hand-over button: `o` opens the list of people, `p<n>` turns to its page n,
        `s<id>` hands the case to that person; anything else is a forged press."""
        number = arg[1:]
        if arg == "o":
            return await self.pick(actor, case_id, version, None)
        if arg[:1] in ("p", "s") and number.isascii() and number.isdigit() and len(number) <= 9:
            if arg[0] == "p":
                return await self.pick(actor, case_id, version, int(number))
            return await self.hand_over(actor, case_id, version, int(number))
        raise Refused("error.bad_button")

    async def hand_over(
        self, actor: Staff, case_id: int, version: int, to_id: int
    ) -> list[Outcome]:
        """Make `to_id` the case's owner (see the module's words)."""
        case = await self._checked(actor, case_id, version)
        taker = await self.uow.staff.get(to_id)
        if taker is None or not taker.active:
            raise Refused("handover.not_active", case=case_id)
        giver = await self.calendar(case)
        if taker.id == giver.id:
            raise Refused("handover.already_theirs", case=case_id, name=taker.name)
        asker = taker.id if case.draft.get(ASKED_BY) == giver.id else case.draft.get(ASKED_BY)
        if waits_for_decision(case) and not any(
            p.active and p.id not in (taker.id, asker) for p in await self.uow.staff.overseers()
        ):  # its owner and its asker may not decide: nobody would be left who may
            raise Refused("handover.nobody_to_decide", case=case_id, name=taker.name)
        left = never_added(giver, case)  # a note, a reason, a file: never added, told so
        if giver.expecting_case_id == case.id:  # what they were typing is no longer theirs
            self._let_go(giver)
        deciding = {p.id for p in await self.asked(case)}  # before: theirs to decide
        if asker != case.draft.get(ASKED_BY):  # the request waits on, now the taker's
            case.draft = {**case.draft, ASKED_BY: asker}
        case.owner_id = taker.id or 0
        self.touch(case)
        self.log(
            case,
            actor,
            HANDED_OVER,
            {
                "from_staff": giver.id,
                "from_name": giver.name,
                "to_staff": taker.id,
                "to_name": taker.name,
            },
        )
        await self.uow.reminders.hand_over(case.id or 0, OWNER_WORK, giver.id or 0, to_id)
        asked = await self._asked_anew(case, deciding)
        names = {"case": case.id, "giver": giver.name, "taker": taker.name}
        if taker.id == actor.id:
            shown = await self.show(actor, case)
            away = [Notify(giver, TAKEN_AWAY, await self.view(case), {"by": actor.name, **left})]
            return [Say("handover.taken", names), shown, *(away if giver.active else []), *asked]
        handed: dict[str, Any] = {"by": actor.name}
        if self._free(taker, case):  # what they type next answers the case
            self.focus(taker, case, Expecting.field)
            self.shown_again(taker, case)
        else:  # it goes where they were: they are told so, and the way to this case first
            handed["busy"] = self._typing_into(taker)
        view = await self.view(case)
        told: list[Outcome] = [Notify(taker, HANDED_TO_YOU, view, handed)]
        if giver.active and giver.id != actor.id:
            away_to = {"by": actor.name, "to": taker.name, **left}
            told.append(Notify(giver, HANDED_AWAY, view, away_to))
        return [*told, Say("handover.done", names), *asked]

    @staticmethod
    def _free(taker: Staff, case: Case) -> bool:
        """Tell whether nothing waits for the taker's typing but, perhaps, this very case's
        question (a supervisor who had it open)."""
        return taker.expecting is None or (
            taker.expecting == Expecting.field and taker.expecting_case_id == case.id
        )

    @staticmethod
    def _typing_into(person: Staff) -> int:
        """The case what the person types next goes to; 0 for a question about a customer
        (its case left, if any, is only drawn again once it is answered)."""
        if person.expecting_customer_id is not None:
            return 0
        return person.expecting_case_id or 0

    def _let_go(self, giver: Staff) -> None:
        """What the former owner was typing into the case is no longer theirs to type: a
        question about a customer asked from it stays open, with no case to go back to."""
        if giver.expecting_customer_id is not None:
            giver.expecting_case_id = None
        else:
            self.focus(giver, None, None)

    async def _asked_anew(self, case: Case, deciding: set[int | None]) -> list[Outcome]:
        """The request the case waits on, sent to whoever may decide it now and could not
        before the hand-over (its former owner, a supervisor): they had no copy to decide."""
        new = [p for p in await self.asked(case) if p.id not in deciding]
        if not new:
            return []
        kind, params = await Decisions(self.uow, self.policy, self.clock).request_facts(case)
        view = await self.view(case)
        return [Notify(p, kind, view, params) for p in new]
