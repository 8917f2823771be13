"""Reports and exports, worked out off the staff's lane, from rows that survive a restart.

`/report` and `/export` only queue their work (a row, committed with the update); this
runner claims one row at a time under a lease, renews the lease while it works (a long
export outlives any fixed lease), sends the result and settles the row. A request whose
process died midway is taken up again when its lease runs out; at start-up and at every
interval the runner looks for such leftovers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, timedelta

from bot.lean_bot import LeanBot
from bot.report_commands import send_export, send_report
from bot.services import Services
from flows.model import Reminder, ReminderStatus
from flows.periods import Period
from flows.reminders import Kind
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.heavy")


class HeavyWork:
    """Claims queued reports and exports and works them out one at a time."""

    def __init__(self, bot: LeanBot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self.lease = timedelta(seconds=services.settings.reminders.lease_seconds)
        self._task: asyncio.Task[int] | None = None
        self._again = False

    def kick(self) -> None:
        """Work through what is due now, in a task of its own; never waits for it."""
        if self._task is not None and not self._task.done():
            self._again = True  # the running pass looks once more before it ends
            return
        self._task = asyncio.create_task(self.run_due(), name="heavy-work")

    async def wait(self) -> None:
        """Wait until the work queued so far is done (tests, and a clean stop)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def run(self, interval: float, stopping: asyncio.Event) -> None:
        """Look for due work every `interval` seconds until stopped (leftovers of a crash)."""
        while not stopping.is_set():
            self.kick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), interval)
        await self.wait()

    async def run_due(self) -> int:
        """Work out every due request, one after the other; return how many."""
        done = 0
        while True:
            try:
                job = await self._claim()
            except Exception as err:  # the database is away: the next pass tries again
                log.warning("could not claim queued work: %s", type(err).__name__)
                return done
            if job is None:
                if not self._again:
                    return done
                self._again = False
                continue
            await self._work(job)
            done += 1

    async def _claim(self) -> Reminder | None:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            claimed = await uow.reminders.claim_due(
                self.services.clock(), 1, self.lease, heavy=True
            )
            await uow.commit()
        return claimed[0] if claimed else None

    async def _work(self, job: Reminder) -> None:
        done = asyncio.Event()
        keeper = asyncio.create_task(self._keep_lease(job, done), name="heavy-lease")
        status = ReminderStatus.sent
        try:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                person = await uow.staff.get(job.recipient_id or 0)
            if person is None or not person.active or not person.oversees:
                status = ReminderStatus.dropped  # they left or lost the role meanwhile
            else:
                period = Period(
                    date.fromisoformat(job.payload["first"]),
                    date.fromisoformat(job.payload["last"]),
                )
                send = send_report if job.kind == Kind.report else send_export
                await send(self.bot, self.services, person, period)
        except Exception:  # the person was told, or will be on the next attempt
            log.exception("queued %s %s failed", job.kind, job.id)
            status = ReminderStatus.failed
        finally:
            done.set()
            await keeper  # a renewal in flight completes: the lease settled is the one held
        await self._settle(job, status)

    async def _keep_lease(self, job: Reminder, done: asyncio.Event) -> None:
        """Renew the job's lease at a third of its length, until the work is done."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), self.lease.total_seconds() / 3)
                return
            until = self.services.clock() + self.lease
            try:
                async with SqlUnitOfWork(self.services.sessions) as uow:
                    held = await uow.reminders.renew_leases([job], until)
                    await uow.commit()
            except Exception as err:  # the database is away: try again at the next third
                log.warning("could not renew a lease: %s", type(err).__name__)
                continue
            if not held:
                log.warning("queued %s %s was taken over elsewhere", job.kind, job.id)
                return
            job.lease_until = until

    async def _settle(self, job: Reminder, status: str) -> None:
        assert job.id is not None
        try:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                await uow.reminders.settle(job.id, job.lease_until, status, self.services.clock())
                await uow.commit()
        except Exception as err:  # its lease runs out and it is worked out once more
            log.warning("could not settle queued %s %s: %s", job.kind, job.id, type(err).__name__)
