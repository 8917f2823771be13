"""The reminder tick: claim due rows, deliver each one, settle it. Nothing is held in memory.

Delivery of one row happens in three moves:
  1. prepare (one transaction): drop it if its case moved on; apply its effects, which are
     idempotent (mark a case overdue once, fan out notices with dedupe keys);
  2. send it through the bot (PTB's rate limiter paces bursts);
  3. settle it (one transaction): sent, failed, or back in the queue with a later due time.
A process that dies between 2 and 3 leaves a lease that runs out; the row is then sent once
more. That window is the one send call plus one short UPDATE. A database that goes away
between 2 and 3 while the process goes on does not widen it: the process keeps what it sent
and records it first thing at the next tick that reaches the database (before claiming
anything), so it does not send it again itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.render import Rendered
from bot.services import Services
from flows.complaint import Step
from flows.desk import Desk
from flows.model import Case, CaseEvent, Reminder, ReminderStatus, Staff
from flows.reminders import Kind, iso, retry_delay, still_relevant, zone
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.scheduler")

#: How long a handled update's id is remembered: longer than Telegram redelivers (a day),
#: shorter than the week of silence after which it may start ids anew.
DEDUPE_WINDOW = timedelta(days=2)

#: Reminders about a person's own cases: handed to the supervisors if the person has left.
OWNER_WORK = (
    Kind.follow_up_due,
    Kind.fix_due,
    Kind.follow_up_overdue,
    Kind.ladder_check,
    Kind.termination_notice,
)

#: What a database that went away raises (a refused or reset connection, a dead pool entry).
DATABASE_TROUBLE = (OperationalError, DBAPIError, OSError)


@dataclass
class TickReport:
    """What one tick did."""

    claimed: int = 0
    planned: int = 0  # digests fanned out into one row per person
    sent: int = 0
    dropped: int = 0
    retried: int = 0
    failed: int = 0


@dataclass
class Digest:
    """What one person's daily digest lists."""

    by_state: dict[str, int] = field(default_factory=dict)
    due_today: list[tuple[Case, str]] = field(default_factory=list)
    overdue: list[tuple[Case, str]] = field(default_factory=list)
    approvals: list[tuple[Case, str]] = field(default_factory=list)

    def is_empty(self) -> bool:
        """Tell whether there is nothing worth sending."""
        return not (self.due_today or self.overdue or self.approvals)


class Scheduler:
    """Delivers reminder rows on time, once, within working hours."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self.settings = services.settings.reminders
        self._stopping = asyncio.Event()
        # Rows sent whose settling the database did not take, with when they were sent.
        self._unrecorded: dict[int, tuple[Reminder, datetime]] = {}

    # ------------------------------------------------------------------ loop

    async def run(self) -> None:
        """Tick until stopped; a failing tick is logged and the loop goes on."""
        while not self._stopping.is_set():
            try:
                report = await self.tick()
            except Exception as err:  # a database hiccup must not stop reminders for good
                log.warning("reminder tick failed: %s", type(err).__name__)
                report = TickReport()
            if report.claimed >= self.settings.batch_size:
                continue  # a full batch: more are probably due (the 09:00 burst)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.settings.tick_seconds)

    def stop(self) -> None:
        """Ask the loop to finish after the current tick."""
        self._stopping.set()

    async def tick(self) -> TickReport:
        """Claim what is due now and deliver it."""
        now = self.services.clock()
        report = TickReport()
        await self._record_sent()
        await self._forget_old_updates()
        await self._plan_digest(now)
        lease = timedelta(seconds=self.settings.lease_seconds)
        async with SqlUnitOfWork(self.services.sessions) as uow:
            claimed = await uow.reminders.claim_due(now, self.settings.batch_size, lease)
            await uow.commit()
        report.claimed = len(claimed)
        pending = list(claimed)
        while pending:
            pending = await self._keep_lease(pending, lease)
            if not pending:
                break
            outcome = await self._deliver(pending.pop(0))
            setattr(report, outcome, getattr(report, outcome) + 1)
        if claimed:
            log.info(
                "reminders claimed=%d sent=%d dropped=%d retried=%d failed=%d",
                report.claimed,
                report.sent,
                report.dropped,
                report.retried,
                report.failed,
            )
        return report

    async def _keep_lease(self, pending: list[Reminder], lease: timedelta) -> list[Reminder]:
        """Renew the batch's leases once half has gone, so no other process takes them over.

        Returns the rows still held: a row whose lease ran out and was claimed elsewhere is
        left to whoever holds it now.
        """
        now = self.services.clock()
        expiring = [r for r in pending if r.lease_until and r.lease_until - now < lease / 2]
        if not expiring:
            return pending
        renewed_until = now + lease
        async with SqlUnitOfWork(self.services.sessions) as uow:
            held = await uow.reminders.renew_leases(pending, renewed_until)
            await uow.commit()
        for reminder in held:
            reminder.lease_until = renewed_until
        if len(held) < len(pending):
            log.warning("%d claimed reminders were taken over elsewhere", len(pending) - len(held))
        return held

    async def _forget_old_updates(self) -> None:
        """Keep the window of handled update ids bounded (it is written with real time)."""
        async with SqlUnitOfWork(self.services.sessions) as uow:
            gone = await uow.forget_updates_before(datetime.now(UTC) - DEDUPE_WINDOW)
            await uow.commit()
        if gone:
            log.info("forgot %d handled update ids older than %s", gone, DEDUPE_WINDOW)

    async def _plan_digest(self, now: datetime) -> None:
        tz = zone(None, self.services.settings.people.default_timezone)
        local = now.astimezone(tz)
        hours = self.services.policy.hours
        if not self.settings.digest or local.time() < self.settings.digest_time:
            return
        if local.weekday() not in hours.days:
            return
        async with SqlUnitOfWork(self.services.sessions) as uow:
            added = await uow.reminders.add_once(
                Reminder(
                    kind=Kind.digest,
                    due_at=now,
                    created_at=now,
                    payload={"date": local.date().isoformat()},
                    dedupe_key=f"digest:{local.date().isoformat()}",
                )
            )
            await uow.commit()
        if added:
            log.info("daily digest planned for %s", local.date())

    # -------------------------------------------------------------- delivery

    async def _deliver(self, reminder: Reminder) -> str:
        assert reminder.id is not None
        now = self.services.clock()
        async with SqlUnitOfWork(self.services.sessions) as uow:
            message, chat_id = await self._prepare(uow, reminder, now)
            if message is None or chat_id is None:
                await uow.reminders.settle(
                    reminder.id, reminder.lease_until, _settled_status(reminder), now
                )
                await uow.commit()
                return "planned" if reminder.kind == Kind.digest else "dropped"
            await uow.commit()
        try:
            await self.bot.send_message(
                chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=message.markup,
                disable_web_page_preview=True,
            )
        except RetryAfter as err:
            wait = err.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await self._retry(reminder, now + timedelta(seconds=seconds), "retry_after", False)
            return "retried"
        except Forbidden:
            await self._give_up(reminder, "blocked", unreachable=True)
            return "failed"
        except BadRequest as err:
            await self._give_up(reminder, f"bad_request: {err.message[:80]}")
            return "failed"
        except (NetworkError, TelegramError) as err:
            if reminder.attempts >= self.settings.max_attempts:
                await self._give_up(reminder, type(err).__name__)
                return "failed"
            delay = retry_delay(reminder.attempts, self.settings.retry_base_seconds)
            await self._retry(reminder, now + delay, type(err).__name__, True)
            return "retried"
        sent_at = self.services.clock()
        try:
            await self._settle_sent(reminder, sent_at)
        except DATABASE_TROUBLE:
            # Sent, but not recorded: keep it, or it goes out again when its lease runs out.
            self._unrecorded[reminder.id] = (reminder, sent_at)
            raise
        return "sent"

    async def _settle_sent(self, reminder: Reminder, sent_at: datetime) -> None:
        assert reminder.id is not None
        async with SqlUnitOfWork(self.services.sessions) as uow:
            await uow.reminders.settle(
                reminder.id, reminder.lease_until, ReminderStatus.sent, sent_at
            )
            await uow.commit()

    async def _record_sent(self) -> None:
        """Record the rows sent while the database was away (a failure ends the tick)."""
        for reminder_id, (reminder, sent_at) in list(self._unrecorded.items()):
            await self._settle_sent(reminder, sent_at)
            del self._unrecorded[reminder_id]
            log.info("reminder %s recorded as sent after the database came back", reminder_id)

    async def _retry(self, reminder: Reminder, when: datetime, error: str, count: bool) -> None:
        assert reminder.id is not None
        async with SqlUnitOfWork(self.services.sessions) as uow:
            await uow.reminders.retry_at(reminder.id, reminder.lease_until, when, error, count)
            await uow.commit()

    async def _give_up(self, reminder: Reminder, reason: str, unreachable: bool = False) -> None:
        assert reminder.id is not None
        now = self.services.clock()
        log.warning("reminder %s (%s) failed: %s", reminder.id, reminder.kind, reason)
        async with SqlUnitOfWork(self.services.sessions) as uow:
            await uow.reminders.settle(
                reminder.id, reminder.lease_until, ReminderStatus.failed, now, reason
            )
            recipient = await uow.staff.get(reminder.recipient_id or 0)
            if unreachable and recipient is not None:
                recipient.unreachable = True
            if reminder.kind != Kind.delivery_problem:
                for person in await uow.staff.overseers():
                    if person.id == reminder.recipient_id:
                        continue
                    uow.reminders.add(
                        Reminder(
                            kind=Kind.delivery_problem,
                            due_at=now,
                            recipient_id=person.id,
                            case_id=reminder.case_id,
                            created_at=now,
                            payload={
                                "about": reminder.kind,
                                "reason": reason,
                                "who": recipient.name if recipient else "?",
                            },
                        )
                    )
            await uow.commit()

    # ------------------------------------------------------------ composing

    async def _prepare(
        self, uow: SqlUnitOfWork, reminder: Reminder, now: datetime
    ) -> tuple[Rendered | None, int | None]:
        case = await uow.cases.get(reminder.case_id) if reminder.case_id else None
        if not still_relevant(reminder, case):
            return None, None
        if reminder.kind == Kind.digest:
            await self._fan_out_digest(uow, reminder, now)
            return None, None
        recipient = await uow.staff.get(reminder.recipient_id) if reminder.recipient_id else None
        if recipient is not None and not recipient.active:
            await self._hand_over(uow, reminder, now)
            return None, None
        chat_id = reminder.chat_id or (recipient.telegram_id if recipient else None)
        renderer = self.services.renderer(recipient)
        if reminder.kind == Kind.digest_person:
            assert recipient is not None
            digest = await self._digest_for(uow, recipient, now)
            return (None if digest.is_empty() else renderer.digest(digest, recipient)), chat_id
        if reminder.kind == Kind.delivery_problem or case is None:
            return renderer.problem(reminder.payload), chat_id
        desk = Desk(uow, self.services.policy, self.services.clock)
        if reminder.kind == Kind.follow_up_due:
            await self._plan_overdue(uow, case, now)
        elif reminder.kind == Kind.follow_up_overdue:
            await self._mark_overdue(uow, desk, case, now)
        view = await desk.view(case)
        events = await uow.events.for_case(case.id or 0)
        pending = reminder.kind == Kind.approval_pending
        request = await desk.request_facts(case) if pending else None
        return renderer.reminder(reminder.kind, view, _facts(events), request), chat_id

    async def _hand_over(self, uow: SqlUnitOfWork, reminder: Reminder, now: datetime) -> None:
        """Give a deactivated person's due work to the supervisors; nothing goes to them."""
        if reminder.kind not in OWNER_WORK:
            return  # a request, a digest or a notice: the supervisors have their own
        for person in await uow.staff.overseers():
            await uow.reminders.add_once(
                Reminder(
                    kind=reminder.kind,
                    due_at=now,
                    recipient_id=person.id,
                    case_id=reminder.case_id,
                    created_at=now,
                    payload=dict(reminder.payload),
                    dedupe_key=f"handover:{reminder.id}:{person.id}",
                )
            )
        log.info("reminder %s handed over: its recipient was deactivated", reminder.id)

    async def _plan_overdue(self, uow: SqlUnitOfWork, case: Case, now: datetime) -> None:
        owner = await uow.staff.get(case.owner_id)
        policy = self.services.policy
        due = case.follow_up_due_at
        assert due is not None
        tz = zone(owner, policy.default_timezone)
        await uow.reminders.add_once(
            Reminder(
                kind=Kind.follow_up_overdue,
                due_at=policy.hours.add(due, policy.overdue_grace_hours, tz),
                recipient_id=case.owner_id,
                case_id=case.id,
                created_at=now,
                payload={"target": iso(due)},
                dedupe_key=f"overdue:{case.id}:{iso(due)}",
            )
        )

    async def _mark_overdue(
        self, uow: SqlUnitOfWork, desk: Desk, case: Case, now: datetime
    ) -> None:
        if case.overdue_since is not None:
            return
        case.overdue_since = now
        case.version += 1
        case.events_count += 1
        uow.events.add(
            CaseEvent(
                case_id=case.id or 0,
                seq=case.events_count,
                at=now,
                actor_id=None,
                step=case.state,
                kind="overdue",
                data={"due": iso(case.follow_up_due_at)},
            )
        )
        target = iso(case.follow_up_due_at)
        group = self.settings.supervisors_chat_id
        recipients: list[tuple[int | None, int | None]] = (
            [(None, group)]
            if group
            else [(p.id, None) for p in await uow.staff.overseers() if p.id != case.owner_id]
        )
        for recipient_id, chat_id in recipients:
            await uow.reminders.add_once(
                Reminder(
                    kind=Kind.overdue_notice,
                    due_at=now,
                    recipient_id=recipient_id,
                    chat_id=chat_id,
                    case_id=case.id,
                    created_at=now,
                    payload={"target": target},
                    dedupe_key=f"notice:{case.id}:{target}:{recipient_id or chat_id}",
                )
            )

    async def _fan_out_digest(self, uow: SqlUnitOfWork, reminder: Reminder, now: datetime) -> None:
        day = reminder.payload.get("date")
        for person in await uow.staff.everyone():
            if not person.active or person.unreachable:
                continue
            await uow.reminders.add_once(
                Reminder(
                    kind=Kind.digest_person,
                    due_at=now,
                    recipient_id=person.id,
                    created_at=now,
                    payload={"date": day},
                    dedupe_key=f"digest:{day}:{person.id}",
                )
            )

    async def _digest_for(self, uow: SqlUnitOfWork, person: Staff, now: datetime) -> Digest:
        tz = zone(person, self.services.policy.default_timezone)
        end_of_day = datetime.combine(
            now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz
        )
        owner = None if person.oversees else person.id
        limit = self.services.policy.list_limit
        digest = Digest(
            due_today=await _named(uow, await uow.cases.follow_ups(owner, end_of_day, limit))
        )
        if person.oversees:
            digest.by_state = await uow.cases.count_open_by_state()
            digest.overdue = await _named(uow, await uow.cases.overdue(None, limit))
            digest.approvals = await _named(
                uow, await uow.cases.in_state(Step.awaiting_approval, limit)
            )
        return digest


def _settled_status(reminder: Reminder) -> str:
    return ReminderStatus.sent if reminder.kind == Kind.digest else ReminderStatus.dropped


async def _named(uow: SqlUnitOfWork, cases: Any) -> list[tuple[Case, str]]:
    customers = await uow.customers.by_ids({c.customer_id for c in cases if c.customer_id})
    return [
        (c, customers[c.customer_id].name if c.customer_id in customers else "—") for c in cases
    ]


def _facts(events: Any) -> dict[str, Any]:
    """Pick what a reminder recalls from the timeline: the latest fix and compensation."""
    facts: dict[str, Any] = {}
    for event in events:
        if event.kind == "fixed":
            facts["action"] = event.data.get("action")
        elif event.kind == "compensated":
            facts["compensation"] = (event.data.get("type"), event.data.get("value"))
    return facts
