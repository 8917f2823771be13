"""The reminder tick: claim due rows, deliver each one, settle it. Nothing is held in memory.

What a reminder means is decided by the use cases (`flows.reminding`); this module only
claims, draws, sends and settles. Delivery of one row happens in three moves:
  1. prepare (one transaction): drop it if its case moved on, pass it on if its recipient
     may not take it any more, put it back if it is not yet time (the recipient's working
     hours); apply its effects, which are idempotent (mark a case overdue once, fan out
     notices with dedupe keys);
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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from telegram import Bot
from telegram import Message as TgMessage
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.render import Rendered
from bot.render.keyboards import Keyboard, for_ptb
from bot.render.sizes import fit
from bot.request_copies import redraw
from bot.runtime import DATABASE_TROUBLE
from bot.screens import Bound
from bot.services import Services
from flows.forms import asked_version
from flows.model import Reminder, ReminderStatus
from flows.reminders import BLOCKED, Kind, retry_delay, zone
from flows.reminding import Later, Message, Reminding, still_theirs
from storage.request_copies import Sent
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.scheduler")

#: How long a handled update's id is remembered: longer than Telegram redelivers (a day),
#: shorter than the week of silence after which it may start ids anew.
DEDUPE_WINDOW = timedelta(days=2)

#: What a database that went away raises (a refused or reset connection, a dead pool entry).


@dataclass
class TickReport:
    """What one tick did."""

    claimed: int = 0
    planned: int = 0  # digests fanned out into one row per person
    sent: int = 0
    dropped: int = 0
    retried: int = 0
    deferred: int = 0  # not yet: outside the recipient's hours, or nobody may decide yet
    failed: int = 0
    redrawn: int = 0  # copies of requests no longer waiting, redrawn (`bot.request_copies`)


class Scheduler:
    """Delivers reminder rows on time, once, within working hours."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self.settings = services.settings.reminders
        self._stopping = asyncio.Event()
        # Rows sent whose settling the database did not take, with when they were sent.
        self._unrecorded: dict[int, tuple[Reminder, datetime, Sent | None]] = {}

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
            outcome = await self._deliver_or_set_aside(pending.pop(0))
            setattr(report, outcome, getattr(report, outcome) + 1)
        if claimed:
            log.info(
                "reminders claimed=%d sent=%d dropped=%d retried=%d deferred=%d failed=%d",
                report.claimed,
                report.sent,
                report.dropped,
                report.retried,
                report.deferred,
                report.failed,
            )
        report.redrawn = await redraw(self.bot, self.services)  # copies let go of anywhere
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
        if not self.settings.digest or local.time() < self.settings.digest_time:
            return
        tomorrow = local.date() + timedelta(days=1)
        until = datetime.combine(tomorrow, self.settings.digest_time, tzinfo=tz)
        async with SqlUnitOfWork(self.services.sessions) as uow:
            added = await self._reminding(uow).plan_digest(local.date(), now, until)
            await uow.commit()
        if added:
            log.info("daily digest planned for %s", local.date())

    def _reminding(self, uow: SqlUnitOfWork) -> Reminding:
        return Reminding(uow, self.services.policy, self.services.clock)

    # -------------------------------------------------------------- delivery

    async def _deliver_or_set_aside(self, reminder: Reminder) -> str:
        """Deliver one reminder; one that cannot even be prepared (a fault in our code) is
        set aside as failed, so that it never stands before the rest of the queue again.
        Database trouble ends the tick: every row is claimed again later."""
        try:
            return await self._deliver(reminder)
        except DATABASE_TROUBLE:
            raise
        except Exception:
            log.exception("reminder %s (%s) set aside", reminder.id, reminder.kind)
            assert reminder.id is not None
            async with SqlUnitOfWork(self.services.sessions) as uow:
                await uow.reminders.settle(
                    reminder.id,
                    reminder.lease_until,
                    ReminderStatus.failed,
                    self.services.clock(),
                    "internal error",
                )
                await uow.commit()
            return "failed"

    async def _deliver(self, reminder: Reminder) -> str:
        assert reminder.id is not None
        now = self.services.clock()
        async with SqlUnitOfWork(self.services.sessions) as uow:
            prepared = await self._reminding(uow).prepare(
                reminder, now, self.settings.supervisors_chat_id
            )
            if isinstance(prepared, Later):  # pending again, without counting an attempt
                await uow.reminders.retry_at(
                    reminder.id, reminder.lease_until, prepared.until, prepared.why, False
                )
                await uow.commit()
                return "deferred"
            message, chat_id = self._draw(prepared)
            if message is None or chat_id is None:
                await uow.reminders.settle(
                    reminder.id, reminder.lease_until, _settled_status(reminder), now
                )
                await uow.commit()
                return "planned" if reminder.kind == Kind.digest else "dropped"
            await uow.commit()
        try:
            try:
                shown = await self._send(chat_id, message)
            except ChatMigrated as err:  # a group made a supergroup: it has a new id now
                chat_id = _moved(chat_id, err.new_chat_id)
                shown = await self._send(chat_id, message)
        except RetryAfter as err:
            wait = err.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await self._retry(reminder, now + timedelta(seconds=seconds), "retry_after", False)
            return "retried"
        except Forbidden:
            await self._give_up(reminder, BLOCKED, unreachable=True)
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
        self._bind(reminder, prepared, message, chat_id, shown.message_id)
        request = _request_sent(prepared, chat_id, shown.message_id)
        try:
            await self._settle_sent(reminder, sent_at, request)
        except DATABASE_TROUBLE:
            # Sent, but not recorded: keep it, or it goes out again when its lease runs out.
            self._unrecorded[reminder.id] = (reminder, sent_at, request)
            raise
        return "sent"

    async def _send(self, chat_id: int, message: Rendered) -> TgMessage:
        return await self.bot.send_message(
            chat_id,
            message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=for_ptb(message.markup),
            disable_web_page_preview=True,
        )

    def _bind(
        self,
        reminder: Reminder,
        prepared: Message | None,
        rendered: Rendered,
        chat_id: int,
        message_id: int,
    ) -> None:
        """Note a reminder's answers as holding only while the reminder still matters (a
        follow-up's while the case waits for that follow-up, not one set again later), its
        case is open and still its reader's to answer (not handed over since: `Bound`)."""
        view = prepared.view if prepared is not None else None
        if prepared is None or view is None or not isinstance(rendered.markup, Keyboard):
            return
        if prepared.request is not None:  # a request's copy: redrawn once decided, as kept
            return
        still = partial(still_theirs, reminder, prepared.recipient)
        bound = Bound(chat_id, message_id, rendered.markup, still=still)
        self.services.screens.bind(view.case.id or 0, bound)

    async def _settle_sent(
        self, reminder: Reminder, sent_at: datetime, request: Sent | None = None
    ) -> None:
        """Record a row sent (and where a copy of a request it carried went)."""
        assert reminder.id is not None
        async with SqlUnitOfWork(self.services.sessions) as uow:
            await uow.reminders.settle(
                reminder.id, reminder.lease_until, ReminderStatus.sent, sent_at
            )
            if request is not None:
                await uow.copies.add(*request)
            await uow.commit()

    async def _record_sent(self) -> None:
        """Record the rows sent while the database was away (a failure ends the tick)."""
        for reminder_id, (reminder, sent_at, request) in list(self._unrecorded.items()):
            await self._settle_sent(reminder, sent_at, request)
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
            await self._reminding(uow).gave_up(reminder, reason, unreachable)
            await uow.commit()

    # ------------------------------------------------------------ composing

    def _draw(self, message: Message | None) -> tuple[Rendered | None, int | None]:
        if message is None:
            return None, None
        renderer = self.services.renderer(message.recipient)
        if message.digest is not None:
            assert message.recipient is not None
            return renderer.digest(message.digest, message.recipient), message.chat_id
        if message.kind == Kind.delivery_problem:
            return renderer.problem(message.facts, message.view), message.chat_id
        if message.kind == Kind.owner_left:
            return renderer.left_behind(message.facts, message.listed), message.chat_id
        if message.kind == Kind.namesake_joined:
            return renderer.namesake_joined(message.facts), message.chat_id
        if message.kind == Kind.nobody_decides and message.view is not None:
            return renderer.nobody_decides(message.view, message.facts), message.chat_id
        assert message.view is not None
        rendered = renderer.reminder(message.kind, message.view, message.facts, message.request)
        if "waited" in message.facts:  # a request that waited for someone who may decide
            first, *rest = rendered.text.split("\n")
            waited = renderer.t("reminder.waited", since=renderer.when(message.facts["waited"]))
            rendered = Rendered(fit([first, waited, *rest], []), rendered.markup)
        return rendered, message.chat_id


def _request_sent(prepared: Message | None, chat_id: int, message_id: int) -> Sent | None:
    """Where a copy of a request went, for a reminder that carries one with its buttons."""
    if prepared is None or prepared.request is None:
        return None
    view, recipient = prepared.view, prepared.recipient
    if view is None or recipient is None:
        return None
    case_id, recipient_id = view.case.id, recipient.id
    if case_id is None or recipient_id is None:
        return None
    return (case_id, asked_version(view.case), recipient_id, chat_id, message_id)


def _settled_status(reminder: Reminder) -> str:
    return ReminderStatus.sent if reminder.kind == Kind.digest else ReminderStatus.dropped


def _moved(old: int, new: int) -> int:
    """The new id of a group Telegram made a supergroup, said in the log with the setting to
    change: notices go there from now on only once the setting names it."""
    log.warning(
        "the supervisors' group %s is now a supergroup with id %s: notices are posted there; "
        "set reminders.supervisors_chat_id = %s",
        old,
        new,
        new,
    )
    return new
