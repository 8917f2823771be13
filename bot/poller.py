"""Long polling that acknowledges an update to Telegram only after it has been handled.

Telegram forgets the updates below the `offset` of a `getUpdates` call. PTB's own updater
asks for the next offset as soon as it has *fetched* a batch, so a process killed between
fetching and committing loses the batch for good. This poller asks only for offsets below
which every update is handled (`bot.processor.handle` returns after the handler's commit):
the lowest update still in hand, or the next one when none is. A process that dies earlier
gets the unacknowledged updates again after the restart, and those already committed are
recognised by their update id and skipped (`storage.uow`): nothing lost, nothing done twice.

Updates are handled side by side through the application's update processor (one chat in
order, different chats concurrently) and fetching goes on meanwhile, so one slow update (a
large export) does not hold up the other chats. While updates are in hand Telegram answers
every poll at once with them (they are not acknowledged yet); those are recognised and the
next poll waits `busy_pause`, or until nothing is in hand. Network trouble and Telegram's
5xx/429 are retried with a growing pause; a refused token ends the loop with the error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.context import App
from bot.processor import handle

log = logging.getLogger("bot.poller")

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates call open when there is nothing new
BUSY_PAUSE = 0.05  # seconds between polls while updates are in hand and nothing new came
FIRST_PAUSE = 1.0  # seconds to wait after the first failed call; doubles up to MAX_PAUSE
MAX_PAUSE = 30.0


class Poller:
    """Fetch updates, hand each to the application, acknowledge those handled."""

    def __init__(
        self,
        application: App,
        allowed_updates: Sequence[str],
        *,
        poll_timeout: int = POLL_TIMEOUT,
        busy_pause: float = BUSY_PAUSE,
        first_pause: float = FIRST_PAUSE,
    ) -> None:
        self.application = application
        self.allowed_updates = list(allowed_updates)
        self.poll_timeout = poll_timeout
        self.busy_pause = busy_pause
        self.first_pause = first_pause
        self.offset: int | None = None  # every update below it is handled
        self.in_hand: dict[int, asyncio.Task[None]] = {}  # update id → its handling
        self._handled: set[int] = set()  # handled, but above an update still in hand
        self._highest: int | None = None  # the highest update id taken
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()  # a stop, or nothing left in hand
        self._task: asyncio.Task[None] | None = None
        self._fetch: asyncio.Task[tuple[Update, ...]] | None = None

    async def start(self) -> None:
        """Switch Telegram to polling (keeping what is pending) and start the loop."""
        await self.application.bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.create_task(self._loop(), name="poller")

    async def wait(self) -> None:
        """Return when the loop ends: after `stop`, or raise what ended it (a refused token)."""
        if self._task is not None:
            await asyncio.shield(self._task)  # whoever stops waiting must not stop the loop

    async def stop(self) -> None:
        """Stop fetching, finish the updates in hand, acknowledge them; then return."""
        self._stopping.set()
        self._wake.set()
        if self._fetch is not None:
            self._fetch.cancel()  # a long poll in progress: nothing fetched is dropped by this
        if self._task is not None:
            try:
                await self._task
            except Exception as err:  # it already ended with an error, reported by `wait`
                log.debug("poller had ended with %s", type(err).__name__)
        if self.in_hand:
            await asyncio.wait(list(self.in_hand.values()))
        self._advance()
        await self._acknowledge()

    async def _loop(self) -> None:
        pause = self.first_pause
        while not self._stopping.is_set():
            try:
                updates = await self._next_batch()
            except asyncio.CancelledError:
                if self._stopping.is_set() and not _task_cancelled():
                    return  # `stop` interrupted the long poll
                raise
            except InvalidToken:
                raise
            except RetryAfter as err:
                await self._pause(_seconds(err.retry_after))
                continue
            except TelegramError as err:  # network trouble, timeouts, 5xx, a conflict
                log.warning("getUpdates failed (%s); trying again in %.0f s", _name(err), pause)
                await self._pause(pause)
                pause = min(pause * 2, MAX_PAUSE)
                continue
            pause = self.first_pause
            fresh = [u for u in updates if self._is_new(u.update_id)]
            for update in fresh:
                self._take(update)
            if updates and not fresh:  # only what is in hand came back
                await self._breather()
            self._advance()

    def _is_new(self, update_id: int) -> bool:
        taken = update_id in self.in_hand or update_id in self._handled
        return not taken and (self.offset is None or update_id >= self.offset)

    def _take(self, update: Update) -> None:
        update_id = update.update_id
        task = asyncio.create_task(handle(self.application, update), name=f"update-{update_id}")
        self.in_hand[update_id] = task
        self._highest = update_id if self._highest is None else max(self._highest, update_id)
        task.add_done_callback(lambda _task: self._done(update_id))

    def _done(self, update_id: int) -> None:
        del self.in_hand[update_id]
        self._handled.add(update_id)
        if not self.in_hand:
            self._wake.set()

    def _advance(self) -> None:
        """Move the offset up to the lowest update in hand, or past the highest taken."""
        if self._highest is None:
            return
        self.offset = min(self.in_hand, default=self._highest + 1)
        self._handled = {u for u in self._handled if u >= self.offset}

    async def _next_batch(self) -> tuple[Update, ...]:
        self._fetch = asyncio.ensure_future(
            self.application.bot.get_updates(
                offset=self.offset,
                timeout=self.poll_timeout,
                allowed_updates=self.allowed_updates,
            )
        )
        try:
            return await self._fetch
        finally:
            self._fetch = None

    async def _breather(self) -> None:
        self._wake.clear()
        if self.in_hand:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.busy_pause)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _acknowledge(self) -> None:
        """Tell Telegram what was handled, so it is not sent again after a restart."""
        if self.offset is None:
            return
        try:
            await self.application.bot.get_updates(offset=self.offset, limit=1, timeout=0)
        except TelegramError as err:  # harmless: the updates come again and are skipped by id
            log.warning("could not acknowledge the last updates (%s)", _name(err))


def _task_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _seconds(value: Any) -> float:
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


def _name(err: BaseException) -> str:
    return type(err).__name__
