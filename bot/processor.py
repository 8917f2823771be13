"""Process updates of one chat in order, and different chats side by side.

PTB runs every update as its own task when `concurrent_updates` is above one, so two quick
presses in one chat could race: the second might be handled before the first is committed.
`ChatOrderedProcessor` keeps a queue per chat. The first update of an idle chat takes one of
the `max_concurrent_updates` slots and then also runs, in arrival order, every update of that
chat that arrives meanwhile; those later updates do not occupy a slot of their own. So:

- updates of one chat never overlap and keep the order Telegram sent them in;
- up to `max_concurrent_updates` chats are served at the same time;
- one busy chat holds one slot, never all of them.

The task of the chat's first update lives until the chat's queue is empty, and
`Application.stop()` waits for it, so updates accepted before a shutdown are all processed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.context import App

log = logging.getLogger("bot.processor")


def chat_key(update: object) -> int | None:
    """Return the chat an update belongs to (the user's, if it has no chat), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Run one chat's updates one after another, different chats concurrently."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._queues: dict[int, deque[Awaitable[Any]]] = {}

    @property
    def busy_chats(self) -> int:
        """Return how many chats have an update being processed."""
        return len(self._queues)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update now if its chat is idle, else queue it behind the chat's current one."""
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        waiting = self._queues.get(key)
        if waiting is not None:
            waiting.append(coroutine)  # the chat's running task will process it next
            return
        waiting = self._queues[key] = deque()
        try:
            await _run(coroutine)
            while waiting:
                await _run(waiting.popleft())
        finally:
            del self._queues[key]
            for left in waiting:  # only after a cancellation: nothing may run them now
                _discard(left)

    async def initialize(self) -> None:
        """Start with no chat busy."""
        self._queues.clear()

    async def shutdown(self) -> None:
        """Drop what was never run (only after cancelled tasks; a clean stop drains all)."""
        for waiting in self._queues.values():
            for left in waiting:
                _discard(left)
        self._queues.clear()


async def handle(application: App, update: Update) -> None:
    """Process one update as the application would, and return only once it is handled.

    The update takes its turn in the application's update processor (its chat's order, the
    concurrency limit) like an update from PTB's own queue. Returning after the handler has
    finished — after its commit — is what lets the transports acknowledge an update to
    Telegram only when nothing about it can be lost any more (`bot.poller`, `bot.webhook`).
    """
    handled = asyncio.Event()

    async def process() -> None:
        try:
            await application.process_update(update)
        finally:
            handled.set()

    await application.update_processor.process_update(update, process())
    await handled.wait()


async def _run(coroutine: Awaitable[Any]) -> None:
    """Await one update's processing; a failure is logged and never stops the chat's queue."""
    try:
        await coroutine
    except Exception:  # Application.process_update reports handler errors itself
        log.exception("processing an update failed")


def _discard(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
    log.warning("an update was dropped while shutting down")
