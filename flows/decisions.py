"""Supervisors' decisions: who may decide, what they read first, and deciding.

Nobody decides what they asked for or a case they own; a request names who asked; a
decision is named for what it decides (compensation, termination, goodwill), and the
owner — and whoever asked, if someone else — is told.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flows import reminders
from flows.casework import CaseWork
from flows.errors import Refused
from flows.forms import ASKED, ASKED_AT, ASKED_BY, ASKED_LIMIT, ASKED_ON, asked_version
from flows.model import Case, Expecting, Staff
from flows.outcomes import ButtonSpent, Notify, Outcome, Phrase, Say, Toast
from flows.parsing import clean_text
from flows.procedures import procedure_of
from flows.reminders import iso

#: Decision buttons: y, n, l -> the trigger they fire.
VERDICTS = {"y": "approved", "n": "declined", "l": "later"}
#: What ends a request but a verdict: stepped back from, withdrawn, its case cancelled.
REQUEST_ENDS = ("back", "withdraw", "cancel")
#: How a request ended that no verdict ended: withdrawn, put back, its case ended
#: (`request_closed.gone`; a copy of it is marked so in `storage.request_copies`).
GONE = "gone"


def how_it_ended_said(ended: str, case_id: int, mine: bool, by: str) -> Phrase:
    """The words that say how a request ended (`ended`, as `approved:compensation`, or
    GONE): the reader's own verdict as their confirmation says it, without who was told
    (said once, when they gave it); someone else's with their name (`by`); or that nothing
    waits any more. A redrawn copy and a verdict given too late say the same."""
    verdict, _, subject = ended.partition(":")
    if not subject:
        return Phrase(f"request_closed.{verdict}", {"case": case_id})
    if mine:
        return Phrase(f"approval.recorded.{subject}.{verdict}", {"case": case_id, "told": ""})
    return Phrase(f"request_closed.{subject}.{verdict}", {"case": case_id, "by": by})


def told_of(owner: Staff, asker: Staff | None) -> Phrase:
    """Who was told of a decision (or its comment), said as it is: the case's owner, and
    whoever asked if someone else — each only if still active (`approval.told.*`); with
    both gone, nobody, and who left. A confirmation never says "the staff member has been
    told" of someone who left, nor when only the supervisor who asked was."""
    other = asker if asker is not None and asker.id != owner.id else None
    names = {"owner": owner.name, "asker": other.name if other else ""}
    if owner.active:
        return Phrase(
            "approval.told.both" if other and other.active else "approval.told.owner", names
        )
    if other is not None and other.active:
        return Phrase("approval.told.asker", names)
    return Phrase("approval.told.nobody_both" if other else "approval.told.nobody", names)


class Decisions(CaseWork):
    """Requests for a supervisor's decision, and the decisions themselves."""

    async def remind_deciders(self, case: Case, deciders: list[Staff]) -> None:
        """Remind each of `deciders`, if the request still waits after a while; with none,
        whoever may decide by then (`flows.reminding` hands it to them)."""
        policy, now = self.policy, self.clock()
        for reminder in reminders.approval_reminders(
            case,
            deciders,
            timedelta(hours=policy.approval_reminder_hours),
            policy.hours,
            policy.default_timezone,
            now,
        ):
            await self.uow.reminders.add_once(reminder)

    async def request_facts(self, case: Case) -> tuple[str, dict[str, Any]]:
        """What a supervisor reads before deciding: the same in the request and its reminders,
        with the staff limit it was asked above and the limit now (the same, unless it was
        changed since; a request from before the limit was kept: the limit now)."""
        spec = procedure_of(case)
        subject = spec.subject(case.state)
        assert subject is not None, f"case #{case.id} waits for no decision"
        asker = await self.uow.staff.get(int(case.draft.get(ASKED_BY) or case.owner_id))
        kind, facts = await spec.hooks.request(self, case, subject)
        left = asker is not None and not asker.active  # named as someone who has left
        now = self.policy.staff_compensation_limit
        limits = {"limit": int(case.draft.get(ASKED_LIMIT, now)), "limit_now": now}
        named = {"asked_by": asker.name if asker else "", "asker_left": left}
        return kind, {**named, **limits, **facts}

    async def request(self, case: Case, actor: Staff) -> list[Outcome]:
        """Ask the supervisors who may decide, and remind them later if it still waits; the
        one who asked is remembered (they may not decide it), and the staff limit then."""
        asked = {
            ASKED_BY: actor.id,
            ASKED_AT: case.version,
            ASKED_ON: iso(self.clock()),
            ASKED_LIMIT: self.policy.staff_compensation_limit,
        }
        case.draft = {**case.draft, **asked}
        deciders = await self.deciders(case)
        await self.remind_deciders(case, deciders)
        kind, params = await self.request_facts(case)
        return await self.tell_overseers(case, actor, kind, params, deciders)

    async def tell_overseers(
        self,
        case: Case,
        actor: Staff,
        kind: str,
        params: dict[str, Any],
        deciders: list[Staff] | None = None,
    ) -> list[Outcome]:
        """Notify the supervisors a request waits for (`deciders`), or, with none given (an
        escalation), every active supervisor but `actor`: whoever asked for a decision on
        the case, or owns it, is told of an escalation as anyone who oversees is. With
        nobody to tell, say why as it is: no supervisor active, or none but those who may
        not decide (nobody decides on their own case, or on a request they made)."""
        audience = await self.uow.staff.overseers() if deciders is None else deciders
        overseers = [p for p in audience if p.id != actor.id]
        if not overseers:
            barred = audience if deciders is None else await self.uow.staff.overseers()
            key = "approval.nobody_else" if barred else "approval.nobody"
            return [Say(key, {"case": case.id})]
        view = await self.view(case)
        return [Notify(recipient=p, kind=kind, view=view, params=params) for p in overseers]

    async def decide(
        self, actor: Staff, case_id: int, version: int, verdict: str, focus: bool = True
    ) -> list[Outcome]:
        """Record a supervisor's decision: approve, decline, or (reviews) try again later.

        In the chat (`focus`) their next message is the comment, unless they are in the
        middle of their own work; a decision on the Mini App's page leaves the chat alone.
        A decision put off stays asked, and its deciders are reminded again.
        """
        if not actor.oversees:
            raise Refused("error.supervisors_only")
        case = await self.load(actor, case_id)
        trigger = VERDICTS.get(verdict)
        if version != asked_version(case) or trigger is None:
            raise Refused("approval.already_decided", case=case_id)
        asked_by = case.draft.get(ASKED_BY)
        if actor.id in (case.owner_id, asked_by):
            raise Refused("approval.not_own", case=case_id)
        await self.check_still_open(case)  # the customer may have left, or been let go
        spec, step = procedure_of(case), case.state
        subject = spec.subject(step)
        field = self.step_field(case)  # an incident written meanwhile leaves it asked
        case.draft = {k: v for k, v in case.draft.items() if k != ASKED_AT}  # decided once
        left: dict[str, Any] = {}
        if field is not None and field.kind == "approval":
            entered = self.entered(case)
            spec.hooks.decided_field(case, field, trigger)
            left = self.unfinished(case, entered)  # an offer declined: kept on its event
        elif step in spec.decisions and spec.flow.may(
            case, trigger, **(data := await spec.hooks.decision_data(self, case, trigger))
        ):
            if trigger != "later":  # a decision put off still waits since it was asked
                case.draft = {k: v for k, v in case.draft.items() if k not in ASKED}
            spec.flow.fire(case, trigger, **data)
            await spec.hooks.decided(self, case, trigger)
        else:
            raise Refused("approval.already_decided", case=case_id)
        self.touch(case)
        by = {"asked_by": asked_by} if asked_by not in (None, case.owner_id) else {}
        # `asked_by`: whom a comment tells; `left`: an offer declined mid-step
        self.log(case, actor, trigger, {"to": case.state, **by, **left}, step)
        if trigger == "later":  # asked again now: reminded as a new request is
            case.draft = {**case.draft, ASKED_AT: case.version}
            await self.remind_deciders(case, await self.deciders(case))
        busy = actor.expecting not in (None, Expecting.approval_comment)
        if focus and not busy:  # their next message is the comment, if they write one
            self.focus(actor, case, Expecting.approval_comment)
        view = await self.view(case)
        told = [view.owner]
        asker = await self.uow.staff.get(int(asked_by)) if asked_by else None
        if asker is not None and asker.id != view.owner.id:
            told.append(asker)  # a supervisor who entered the request on someone's case
        for person in told:
            self.shown_again(person, case)  # the notice carries the card as it is now
        notice = {"verdict": trigger, "by": actor.name, "subject": subject}
        reached = [person for person in told if person.active]
        # Said as it is: who asked, and owns the case, may have left, and be told nothing.
        recorded = f"approval.recorded.{subject}.{trigger}"
        facts = {"case": case.id, "told": told_of(view.owner, asker)}
        said: list[Outcome]
        if focus and busy:  # in the middle of their own work: their next message goes there
            said = [Say(recorded, facts), Say("approval.kept_focus")]
        else:
            said = [Say(recorded, facts, offer="no_comment" if focus else None)]
        if not reached and trigger != "later" and not spec.flow.is_final(case.state):
            # Whoever would carry it on has left: the decider is told it now waits on
            # nobody, with the case to open (reminders of it go to the supervisors too).
            said.append(Notify(actor, "left_waiting", view, {"owner": view.owner.name}))
        return [*said, *(Notify(person, "decision", view, notice) for person in reached)]

    async def how_it_ended(self, case: Case) -> tuple[str, int | None]:
        """How the latest request on a case ended, from its log: the verdict that decided it
        (as `approved:compensation`), with who gave it, or GONE (stepped back from,
        withdrawn, cancelled) with nobody."""
        for event in reversed(await self.uow.events.for_case(case.id or 0)):
            if event.kind in VERDICTS.values():
                subject = procedure_of(case).subject(event.step)
                return (f"{event.kind}:{subject}", event.actor_id) if subject else (GONE, None)
            if event.kind in REQUEST_ENDS:
                break
        return GONE, None

    async def decided_before(self, actor: Staff, case: Case) -> Refused:
        """The refusal of a verdict given on a request that no longer waits as it was asked,
        saying what became of it as each supervisor's copy says it once redrawn: who decided
        what (the reader's own verdict in their words: given twice, from two pages), or that
        nothing waits any more."""
        ended, by = await self.how_it_ended(case)
        decider = await self.uow.staff.get(by) if by is not None and by != actor.id else None
        name = decider.name if decider is not None else ""
        said = how_it_ended_said(ended, case.id or 0, by == actor.id, name)
        return Refused(said.key, **said.params)

    async def comment(
        self, actor: Staff, case: Case, raw: str, focus: bool = True
    ) -> list[Outcome]:
        """Log a supervisor's comment on their decision and pass it on to whom the decision
        was told: the owner, and whoever asked if someone else (typed in the chat, `focus`:
        the chat waits for no comment any more). Said as it is: with every one of them gone,
        it is on the case's timeline and nobody was told."""
        text = clean_text(raw, self.policy.text_limit)
        asker = await self._asker_of_decision(actor, case)
        self.log(case, actor, "approval_comment", {"text": text})
        if focus and actor.expecting == Expecting.approval_comment:
            self.focus(actor, None, None)
        view = await self.view(case)
        told = [view.owner] if asker is None else [view.owner, asker]
        reached = [person for person in told if person.active]
        params = {"text": text, "by": actor.name}
        saved = {"case": case.id, "told": told_of(view.owner, asker)}
        return [
            Say("approval.comment_saved", saved),
            *(Notify(person, "approval_comment", view, params) for person in reached),
        ]

    async def _asker_of_decision(self, actor: Staff, case: Case) -> Staff | None:
        """Who asked for the decision `actor` last took on the case, if not its owner (the
        decision's event keeps them): told of a comment on it, as of the decision."""
        for event in reversed(await self.uow.events.for_case(case.id or 0)):
            if event.actor_id == actor.id and event.kind in VERDICTS.values():
                asked_by = event.data.get("asked_by")
                if not asked_by or asked_by == case.owner_id:
                    return None
                return await self.uow.staff.get(int(asked_by))
        return None

    async def skip_comment(self, actor: Staff) -> list[Outcome]:
        """Finish a decision without a comment. An old "Nothing to add" (the comment typed
        since, or the person gone on to other work; after a restart too) leaves whatever
        they have gone on to alone, says nothing waits for a comment, and loses its button:
        "No comment added" would be untrue of a comment typed."""
        if actor.expecting != Expecting.approval_comment:
            return [Toast("approval.no_comment_waiting"), ButtonSpent()]
        self.focus(actor, None, None)
        return [Say("approval.no_comment")]
