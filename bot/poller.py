"""Long polling that acknowledges an update to Telegram only after it has been handled.

Telegram forgets the updates below the `offset` of a `getUpdates` call. PTB's own updater
asks for the next offset as soon as it has *fetched* a batch, so a process killed between
fetching and committing loses the batch for good. This poller moves the offset past a batch
only when every update of it has been handled (`bot.processor.handle` returns after the
handler's commit). A process that dies earlier gets the same updates again after the
restart, and those already committed are recognised by their update id and skipped
(`storage.uow`): nothing is lost, nothing is done twice.

The batch's updates are handled side by side through the application's update processor
(one chat in order, different chats concurrently); the next `getUpdates` waits for the batch.
Network trouble and Telegram's 5xx/429 are retried with a growing pause; a refused token
stops the loop and is raised to the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.processor import handle

log = logging.getLogger("bot.poller")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates call open when there is nothing new
FIRST_PAUSE = 1.0  # seconds to wait after the first failed call; doubles up to MAX_PAUSE
MAX_PAUSE = 30.0


class Poller:
    """Fetch updates, handle each batch, then acknowledge it with the next offset."""

    def __init__(
        self,
        application: AnyApplication,
        allowed_updates: Sequence[str],
        *,
        poll_timeout: int = POLL_TIMEOUT,
        first_pause: float = FIRST_PAUSE,
    ) -> None:
        self.application = application
        self.allowed_updates = list(allowed_updates)
        self.poll_timeout = poll_timeout
        self.first_pause = first_pause
        self.offset: int | None = None  # the first update id not handled yet
        self._stopping = asyncio.Event()
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
        """Stop fetching, finish the batch in hand, acknowledge it; then return."""
        self._stopping.set()
        if self._fetch is not None:
            self._fetch.cancel()  # a long poll in progress: nothing fetched is dropped by this
        if self._task is not None:
            try:
                await self._task
            except Exception as err:  # it already ended with an error, reported by `wait`
                log.debug("poller had ended with %s", type(err).__name__)
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
            if updates:
                await asyncio.gather(*(handle(self.application, u) for u in updates))
                self.offset = max(u.update_id for u in updates) + 1

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

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _acknowledge(self) -> None:
        """Tell Telegram the last batch was handled, so it is not sent again after a restart."""
        if self.offset is None:
            return
        try:
            await self.application.bot.get_updates(offset=self.offset, limit=1, timeout=0)
        except TelegramError as err:  # harmless: the batch comes again and is skipped by id
            log.warning("could not acknowledge the last updates (%s)", _name(err))


def _task_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _seconds(value: Any) -> float:
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


def _name(err: BaseException) -> str:
    return type(err).__name__
