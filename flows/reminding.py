"""Reminders as use cases: whether a due one still matters, what it says and makes happen.

The scheduler (`bot/scheduler.py`) claims due rows, asks `Reminding.prepare` what each one
means, draws and sends the message and settles the row; every rule lives here: a reminder
whose case moved on is dropped, a follow-up comes due and plans its overdue check, an
overdue one marks the case and tells the supervisors, the daily digest fans out to
everyone with something due, and a reminder that cannot be delivered tells the supervisors.

Work goes to whoever may take it when it is delivered, not when it was planned: a request's
reminder to the supervisors who may decide on it then (waiting, if nobody may yet), a
supervisors' notice to those who still oversee, a case's reminder to someone who may still
open the case (a deactivated or demoted person's goes to the supervisors) — each person
once — and within the recipient's working hours in the zone they have then. When someone
is deactivated, every supervisor is told which open cases they leave with nobody on them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flows.case_filter import CaseFilter
from flows.casework import CaseWork
from flows.decisions import Decisions
from flows.forms import ASKED_BY, asked_version, waiting_version
from flows.model import Case, CaseEvent, CustomerStatus, Reminder, Staff
from flows.outcomes import CaseView
from flows.people import People
from flows.procedures import procedure_of
from flows.procedures.complaint import Step, promise_number
from flows.procedures.review import Rung
from flows.reminders import COPY, Kind, approval_key, iso, zone

#: Kinds whose relevance is tied to the case's agreed follow-up time.
FOLLOW_UP_KINDS = (Kind.follow_up_due, Kind.follow_up_overdue, Kind.overdue_notice)
#: Reminders about a person's own cases: handed to the supervisors if the person may not
#: open the case any more (deactivated, or no longer a supervisor).
OWNER_WORK = (
    Kind.follow_up_due,
    Kind.fix_due,
    Kind.follow_up_overdue,
    Kind.ladder_check,
    Kind.termination_notice,
)
#: Reminders for whoever oversees: passed on to those who do if the recipient no longer does.
SUPERVISOR_WORK = (
    Kind.overdue_notice,
    Kind.delivery_problem,
    Kind.owner_left,
    Kind.namesake_joined,
)
#: Reminders of a request: to the supervisors who may decide on it when they are due.
APPROVAL_KINDS = (Kind.approval_pending, Kind.approval_waiting)
#: How a reminder handed over is keyed: this, the id of the one first handed over, its person.
HANDOVER = COPY
#: Customers no review can keep any more: they left, or were let go.
GONE = (CustomerStatus.defected, CustomerStatus.terminated)
#: How late a tick may find a reminder that was due within working hours and still send it
#: after closing (a burst, a slow batch); one found later than this — the bot was down, the
#: clock jumped — waits for the next opening instead of arriving at night.
LATE_TICK = timedelta(minutes=15)


def still_relevant(reminder: Reminder, case: Case | None) -> bool:
    """Tell whether a case reminder still matters; one whose case moved on is dropped."""
    if reminder.case_id is None:
        return True
    if case is None:
        return False
    target = reminder.payload.get("target")
    ended = procedure_of(case).flow.is_final(case.state)
    if reminder.kind in FOLLOW_UP_KINDS:  # and not replaced by a later wait, however timed
        due = iso(case.follow_up_due_at) == target
        return case.state == Step.awaiting_follow_up and due and _same_wait(reminder, case)
    if reminder.kind == Kind.fix_due:
        return not ended and iso(case.promised_fix_at) == target
    if reminder.kind in (*APPROVAL_KINDS, Kind.nobody_decides):
        asked = ASKED_BY in case.draft  # set by every request, gone once it is not pending
        return not ended and asked and asked_version(case) == reminder.payload.get("version")
    if reminder.kind == Kind.ladder_check:  # and not replaced by a later wait on the rung
        return (
            case.state == reminder.payload.get("state")
            and not ended
            and _same_wait(reminder, case)
        )
    if reminder.kind == Kind.termination_notice:
        return case.state == Rung.termination_conversation
    return True


def still_theirs(reminder: Reminder, reader: Staff | None, case: Case) -> bool:
    """Tell whether a reminder's answers still hold for whom it was sent to (`reader`, as
    they were when it went): it still matters (`still_relevant`), and the case is still
    theirs to answer — their own, or they oversee. A case handed over since is the new
    owner's: its answers go from the former owner's reminder, as from their card."""
    if not still_relevant(reminder, case):
        return False
    return reader is None or reader.oversees or case.owner_id == reader.id


def _same_wait(reminder: Reminder, case: Case) -> bool:
    """Tell whether a wait's reminder is for the case's wait now (one planned before the
    version was kept in its payload is taken to be)."""
    since = waiting_version(case)
    return bool(reminder.payload.get("waiting_since", since) == since)


@dataclass
class Digest:
    """What one person's daily digest lists."""

    by_state: dict[str, int] = field(default_factory=dict)
    due_today: list[tuple[Case, str | None]] = field(default_factory=list)
    overdue: list[tuple[Case, str | None]] = field(default_factory=list)
    approvals: list[tuple[Case, str | None]] = field(default_factory=list)  # theirs to decide
    approvals_elsewhere: int = 0  # requests waiting for another supervisor's decision
    #: Their own open cases left untouched, with nothing to bring them back.
    untouched: list[tuple[Case, str | None]] = field(default_factory=list)
    #: For a supervisor: everyone else's cases left so, the longest untouched first, each
    #: with its customer's name and its owner's.
    others_untouched: list[tuple[Case, str | None, str]] = field(default_factory=list)

    def is_empty(self) -> bool:
        """Tell whether there is nothing worth sending."""
        return not (
            self.due_today
            or self.overdue
            or self.approvals
            or self.untouched
            or self.others_untouched
        )


@dataclass
class Later:
    """Not now: the reminder waits, pending, until `until` (`why` is kept on its row)."""

    until: datetime
    why: str


@dataclass
class Message:
    """What a due reminder says now, to whom: one of a case's reminder, a digest, a notice
    that a delivery failed."""

    kind: str
    recipient: Staff | None
    chat_id: int | None
    view: CaseView | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    request: tuple[str, dict[str, Any]] | None = None
    digest: Digest | None = None
    #: The cases a notice lists, each with its customer's name (someone's left behind).
    listed: list[tuple[Case, str | None]] = field(default_factory=list)


class Reminding(CaseWork):
    """What due reminders mean, over one unit of work."""

    async def prepare(
        self, reminder: Reminder, now: datetime, group_chat_id: int | None = None
    ) -> Message | Later | None:
        """Apply what a due reminder makes happen and say what to send; None: nothing (it
        is moot, or passed on to others); `Later`: not yet.

        Its effects are idempotent (a case is marked overdue once; notices fan out with
        dedupe keys), so a reminder prepared twice after a crash changes nothing twice.
        """
        case = await self.uow.cases.get(reminder.case_id) if reminder.case_id else None
        if not still_relevant(reminder, case) or await self._customer_gone(reminder, case):
            return None
        if reminder.kind == Kind.digest:
            await self._fan_out_digest(reminder, now)
            return None
        if reminder.kind == Kind.digest_person and _superseded(reminder, now):
            return None
        staff_id = reminder.recipient_id
        recipient = await self.uow.staff.get(staff_id) if staff_id else None
        if reminder.kind == Kind.approval_waiting or (
            recipient is not None and not self._may_receive(reminder, recipient, case)
        ):
            return await self._pass_on(reminder, case, now)
        if recipient is not None or reminder.chat_id:  # a group keeps the default zone's hours
            later = self._after_hours(reminder, recipient, now)
            if later is not None:
                return later
        chat_id = reminder.chat_id or (recipient.telegram_id if recipient else None)
        if reminder.kind == Kind.digest_person:
            assert recipient is not None
            digest = await self._digest_for(recipient, now)
            if digest.is_empty():
                return None
            return Message(reminder.kind, recipient, chat_id, digest=digest)
        if reminder.kind == Kind.owner_left:
            return await self._left_behind(reminder, recipient, chat_id)
        if reminder.kind == Kind.namesake_joined:
            return await self._namesake_joined(reminder, recipient, chat_id)
        if reminder.kind == Kind.nobody_decides and case is not None:
            return await self._nobody_decides(reminder, recipient, chat_id, case)
        if reminder.kind == Kind.delivery_problem or case is None:
            view = await self.view(case) if case is not None else None  # which case it was
            return Message(Kind.delivery_problem, recipient, chat_id, view, reminder.payload)
        if reminder.kind == Kind.follow_up_due:
            await self._plan_overdue(case, now)
        elif reminder.kind == Kind.follow_up_overdue:
            handed_over = reminder.recipient_id != case.owner_id
            await self._mark_overdue(case, now, group_chat_id, handed_over)
        request = None
        events = await self.uow.events.for_case(case.id or 0)
        facts = _facts(events)
        if reminder.kind == Kind.follow_up_overdue:  # the nudge says so only if it is so
            facts["told"] = bool(group_chat_id) or await self._someone_oversees(case)
        if reminder.kind == Kind.fix_due:  # what its buttons answer: this promise only
            facts["promise"] = promise_number(events)
            if reminder.payload.get("waiting_since", facts["promise"]) != facts["promise"]:
                return None  # planned for a promise made again since, even for this time
            made = next((e for e in events if e.seq == facts["promise"]), None)
            facts.update(await self._made_by(made))
        elif reminder.kind == Kind.ladder_check:  # the wait it is for: the latest one set
            facts.update(await self._made_by(next(_latest(events, "wait"), None)))
        if reminder.kind == Kind.approval_pending:
            request = await Decisions(self.uow, self.policy, self.clock).request_facts(case)
            if "waited" in reminder.payload:  # since it was asked, for someone who may decide
                facts["waited"] = reminder.payload["waited"]
        return Message(reminder.kind, recipient, chat_id, await self.view(case), facts, request)

    async def _made_by(self, event: CaseEvent | None) -> dict[str, Any]:
        """Who made what a reminder recalls (a promise, a wait), by the event that made it:
        "you promised" is said only to them; anyone else reads their name (the case was
        handed over since, or a supervisor made the promise on someone's case)."""
        made_by = await self.uow.staff.get(event.actor_id) if event and event.actor_id else None
        if made_by is None:
            return {}
        return {"by": made_by.id, "by_name": made_by.name}

    async def _left_behind(
        self, reminder: Reminder, recipient: Staff | None, chat_id: int | None
    ) -> Message | None:
        """Someone left: the open cases they still own, as they stand now (none, or back
        again: nothing to say)."""
        person = await self.uow.staff.get(int(reminder.payload.get("left") or 0))
        if person is None or person.active:
            return None
        most = self.policy.list_limit
        wanted = CaseFilter(status="o", owner_id=person.id)
        cases = list(await self.uow.cases.find(wanted, most + 1, UTC))
        if not cases:
            return None
        facts = {"who": person.name, "more": len(cases) > most}
        listed = await self._named(cases[:most])
        return Message(reminder.kind, recipient, chat_id, facts=facts, listed=listed)

    async def _namesake_joined(
        self, reminder: Reminder, recipient: Staff | None, chat_id: int | None
    ) -> Message | None:
        """Someone joined under the name of a member: who, in which role, and the member's
        role; nothing once either account is gone or renamed since."""
        joined = await self.uow.staff.get(int(reminder.payload.get("joined") or 0))
        if joined is None or not joined.active:
            return None
        namesakes = await People(self.uow, self.policy, self.clock).namesakes(joined)
        if not namesakes:
            return None
        facts = {"name": joined.name, "role": joined.role, "their_role": namesakes[0].role}
        return Message(reminder.kind, recipient, chat_id, facts=facts)

    async def _nobody_decides(
        self, reminder: Reminder, recipient: Staff | None, chat_id: int | None, case: Case
    ) -> Message | None:
        """A request nobody may decide since a supervisor left or was made staff: said to
        whoever waits on it, with whether any supervisor is left at all (they own it, or
        asked for it); nothing once someone may decide it again (one came back, or joined)."""
        if await self.deciders(case):
            return None
        facts = {"none": not await self.uow.staff.overseers()}
        return Message(reminder.kind, recipient, chat_id, await self.view(case), facts)

    def _may_receive(self, reminder: Reminder, person: Staff, case: Case | None) -> bool:
        """Tell whether `person` may still be given the reminder: a request's only if they
        may decide on it, supervisors' work only if they still oversee, a case's only if
        they may still open the case; nothing to someone deactivated."""
        if not person.active:
            return False
        if reminder.kind == Kind.approval_pending:
            return case is not None and self.may_decide(person, case)
        if reminder.kind in SUPERVISOR_WORK:
            return person.oversees
        return case is None or person.oversees or case.owner_id == person.id

    async def _pass_on(self, reminder: Reminder, case: Case | None, now: datetime) -> Later | None:
        """Give a reminder to those who may take it now, each once (by dedupe key), instead
        of its recipient: a request's to the supervisors who may decide on it (if nobody
        may yet, it waits and looks again after `approval_reminder_hours`), supervisors'
        notices to the supervisors but the case's owner, a case's to the supervisors (a copy
        handed over is keyed by the reminder first handed over, so nobody gets it twice).
        Other kinds are dropped (a failure's notice: the other supervisors had theirs)."""
        if reminder.kind in APPROVAL_KINDS and case is not None:
            deciders = await self.deciders(case)
            if not deciders:
                wait = timedelta(hours=self.policy.approval_reminder_hours)
                return Later(now + wait, "nobody may decide")
            waited = reminder.payload.get("waited") or iso(reminder.created_at)
            payload = {**reminder.payload, "waited": waited}  # it says how long it has waited
            key = approval_key(case)
            await self._give(Kind.approval_pending, deciders, case.id, payload, key, now)
        elif reminder.kind == Kind.overdue_notice and case is not None:
            await self._notify_overdue(case, reminder.payload, now)
        elif reminder.kind in OWNER_WORK:
            overseers = await self.uow.staff.overseers()
            key = f"{HANDOVER}{_origin(reminder)}"
            await self._give(
                reminder.kind, overseers, reminder.case_id, reminder.payload, key, now
            )
        return None

    def _after_hours(
        self, reminder: Reminder, person: Staff | None, now: datetime
    ) -> Later | None:
        """Hold back a reminder due outside the recipient's working hours in their zone as
        it is now (they moved since it was planned; a retry fell at night) until the next
        opening; one due within them goes if the tick comes a little late (`LATE_TICK`),
        never at night after a downtime."""
        tz, hours = zone(person, self.policy.default_timezone), self.policy.hours
        if hours.is_open(now, tz) or (
            hours.is_open(reminder.due_at, tz) and now - reminder.due_at <= LATE_TICK
        ):
            return None
        return Later(hours.next_open(now, tz), "outside working hours")

    async def _give(
        self,
        kind: str,
        people: Sequence[Staff],
        case_id: int | None,
        payload: dict[str, Any],
        key: str,
        now: datetime,
    ) -> None:
        """Plan a reminder for each of `people`, within their working hours, once each: the
        dedupe key is `key` and their id, so giving the same thing again changes nothing."""
        for person in people:
            await self.uow.reminders.add_once(
                Reminder(
                    kind=kind,
                    due_at=self._open_for(person, now),
                    recipient_id=person.id,
                    case_id=case_id,
                    created_at=now,
                    payload=dict(payload),
                    dedupe_key=f"{key}:{person.id}",
                )
            )

    async def _customer_gone(self, reminder: Reminder, case: Case | None) -> bool:
        """Tell whether a review's check-back is moot: its customer has left or was let go
        (by another review, or an exit interview) since the wait was set."""
        if reminder.kind != Kind.ladder_check or case is None or case.customer_id is None:
            return False
        customer = await self.uow.customers.get(case.customer_id)
        return customer is not None and customer.status in GONE

    async def plan_digest(self, day: date, now: datetime, until: datetime | None = None) -> bool:
        """Plan the day's digest once, on an open day; tell whether it was planned now.

        `until` is when the next day's digest is planned: a person's digest not delivered
        by then (planned late after a downtime, held till the next opening) is dropped, so
        nobody gets two in one morning."""
        if not self.policy.hours.open_on(day):
            return False
        payload = {"date": day.isoformat(), **({"until": iso(until)} if until else {})}
        return await self.uow.reminders.add_once(
            Reminder(
                kind=Kind.digest,
                due_at=now,
                created_at=now,
                payload=payload,
                dedupe_key=f"digest:{day.isoformat()}",
            )
        )

    async def gave_up(self, reminder: Reminder, reason: str, unreachable: bool) -> None:
        """A reminder could not be delivered: mark who blocked the bot, tell the supervisors."""
        now = self.clock()
        recipient = await self.uow.staff.get(reminder.recipient_id or 0)
        if unreachable and recipient is not None:
            recipient.unreachable = True
        if reminder.kind == Kind.delivery_problem:
            return  # a notice about a failure that failed: no notice about that
        for person in await self.uow.staff.overseers():
            if person.id == reminder.recipient_id:
                continue
            self.uow.reminders.add(
                Reminder(
                    kind=Kind.delivery_problem,
                    due_at=self._open_for(person, now),
                    recipient_id=person.id,
                    case_id=reminder.case_id,
                    created_at=now,
                    payload={"about": reminder.kind, "reason": reason, **_sent_to(recipient)},
                )
            )

    def _open_for(self, person: Staff | None, now: datetime) -> datetime:
        """Now, or when the person's working hours next open in their zone (a group chat
        keeps the default zone's): every reminder arrives within them."""
        return self.policy.hours.next_open(now, zone(person, self.policy.default_timezone))

    async def _plan_overdue(self, case: Case, now: datetime) -> None:
        owner = await self.uow.staff.get(case.owner_id)
        due = case.follow_up_due_at
        assert due is not None
        tz = zone(owner, self.policy.default_timezone)
        await self.uow.reminders.add_once(
            Reminder(
                kind=Kind.follow_up_overdue,
                due_at=self.policy.hours.add(due, self.policy.overdue_grace_hours, tz),
                recipient_id=case.owner_id,
                case_id=case.id,
                created_at=now,
                payload={"target": iso(due), "waiting_since": waiting_version(case)},
                dedupe_key=f"overdue:{case.id}:{iso(due)}",
            )
        )

    async def _mark_overdue(
        self, case: Case, now: datetime, group_chat_id: int | None, handed_over: bool
    ) -> None:
        """Mark the case overdue once and tell the supervisors (in their group, if one); when
        the owner's nudge was handed over to them (the owner left), each has it already and
        is not told privately a second time."""
        if case.overdue_since is not None:
            return
        case.overdue_since = now
        self.touch(case)
        self.log(case, None, "overdue", {"due": iso(case.follow_up_due_at)})
        payload = {"target": iso(case.follow_up_due_at)}
        if not group_chat_id:
            if not handed_over:
                await self._notify_overdue(case, payload, now)
            return
        await self.uow.reminders.add_once(
            Reminder(
                kind=Kind.overdue_notice,
                due_at=self._open_for(None, now),
                chat_id=group_chat_id,
                case_id=case.id,
                created_at=now,
                payload=payload,
                dedupe_key=f"notice:{case.id}:{payload['target']}:{group_chat_id}",
            )
        )

    async def _someone_oversees(self, case: Case) -> bool:
        """Tell whether anyone but the case's owner oversees: told privately of its follow-up
        overdue (`_notify_overdue`). A lone supervisor's own case, or a team with nobody
        overseeing, tells nobody."""
        return any(p.id != case.owner_id for p in await self.uow.staff.overseers())

    async def _notify_overdue(self, case: Case, payload: dict[str, Any], now: datetime) -> None:
        """Tell each supervisor but the owner, privately, that the case's follow-up is overdue."""
        people = [p for p in await self.uow.staff.overseers() if p.id != case.owner_id]
        key = f"notice:{case.id}:{payload['target']}"
        await self._give(Kind.overdue_notice, people, case.id, payload, key, now)

    async def _fan_out_digest(self, reminder: Reminder, now: datetime) -> None:
        day = reminder.payload.get("date")
        people = [p for p in await self.uow.staff.everyone() if p.active and not p.unreachable]
        payload = {k: v for k, v in reminder.payload.items() if k in ("date", "until")}
        await self._give(Kind.digest_person, people, None, payload, f"digest:{day}", now)

    async def _digest_for(self, person: Staff, now: datetime) -> Digest:
        tz = zone(person, self.policy.default_timezone)
        end_of_day = datetime.combine(
            now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz
        )
        owner = None if person.oversees else person.id
        limit = self.policy.list_limit + 1  # one more than a list shows: there are more
        digest = Digest(
            due_today=await self._named(await self.uow.cases.follow_ups(owner, end_of_day, limit)),
            overdue=await self._named(await self.uow.cases.overdue(owner, limit)),
        )
        if self.policy.untouched_days:  # in working days: closed days are nobody's to work
            before = self.policy.hours.open_days_back(now, self.policy.untouched_days, tz)
            left = await self.uow.cases.untouched(person.id or 0, before, limit)
            digest.untouched = await self._named(left)
            if person.oversees:  # everyone's but their own (those are in their own list)
                others = await self.uow.cases.untouched(None, before, limit, person.id)
                digest.others_untouched = await self._owned(await self._named(others))
        if person.oversees:
            digest.by_state = await self.uow.cases.count_open_by_state()
            approvals, digest.approvals_elsewhere = await self.waiting_decision(person, limit)
            digest.approvals = await self._named(approvals)
        return digest

    async def _owned(
        self, named: list[tuple[Case, str | None]]
    ) -> list[tuple[Case, str | None, str]]:
        """Each named case with its owner's name too (every case has one: staff are never
        removed, only deactivated)."""
        owners = await self.uow.staff.by_ids({c.owner_id for c, _ in named})
        return [(c, name, owners[c.owner_id].name) for c, name in named]

    async def _named(self, cases: Any) -> list[tuple[Case, str | None]]:
        """Each case with its customer's name; None for one not chosen yet (a case left at
        its first question), which is said in words where it is shown, never as a dash."""
        ids = {c.customer_id for c in cases if c.customer_id}
        customers = await self.uow.customers.by_ids(ids)
        return [
            (c, customers[c.customer_id].name if c.customer_id in customers else None)
            for c in cases
        ]


def _superseded(reminder: Reminder, now: datetime) -> bool:
    """Tell whether a person's digest comes too late: the next day's is planned by now."""
    until = reminder.payload.get("until")
    return isinstance(until, str) and now >= datetime.fromisoformat(until)


def _sent_to(recipient: Staff | None) -> dict[str, Any]:
    """Whom a reminder that could not be delivered was for, as its notice says it: a person,
    or else the supervisors' group (the one recipient that is no person)."""
    return {"who": recipient.name} if recipient is not None else {"group": True}


def _origin(reminder: Reminder) -> str:
    """The reminder a handed-over copy was first handed over from (itself if none)."""
    key = reminder.dedupe_key or ""
    return key.split(":")[1] if key.startswith(HANDOVER) else str(reminder.id)


def _latest(events: Sequence[CaseEvent], kind: str) -> Iterator[CaseEvent]:
    """The events of `kind`, latest first."""
    return (e for e in reversed(events) if e.kind == kind)


def _facts(events: Any) -> dict[str, Any]:
    """Pick what a reminder recalls from the timeline: the latest fix and compensation."""
    facts: dict[str, Any] = {}
    for event in events:
        if event.kind == "fixed":
            facts["action"] = event.data.get("action")
        elif event.kind == "compensated":
            facts["compensation"] = (event.data.get("type"), event.data.get("value"))
    return facts
