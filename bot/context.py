"""The application's typed context: what one process keeps for every handler, and its types.

PTB makes a `BotData` when the application is built (`ContextTypes(bot_data=BotData)`), so
handlers read `context.bot_data.services` with its type known, and no string keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from telegram.ext import Application, CallbackContext, ContextTypes

from bot.lean_bot import LeanBot

if TYPE_CHECKING:
    from bot.heavy import HeavyWork
    from bot.request_copies import Redrawing
    from bot.scheduler import Scheduler
    from bot.services import Services


Done = TypeVar("Done")


class InHand:
    """Work taken over HTTP and not yet done (an update Telegram posted, a decision taken on
    the Mini App): each piece runs as a task of its own, so a dropped connection cannot cut
    it half-way, and a stop of the web server finishes every piece before the bot goes —
    a decision committed is also told to whoever it concerns."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    async def run(self, work: Coroutine[Any, Any, Done]) -> Done:
        """Do `work`, kept in hand until it is done; return what it returns."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def finished(self) -> None:
        """Wait until nothing is in hand, work taken meanwhile included."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))


class BotData:
    """The services of this process and its background work, set as the application is built."""

    def __init__(self) -> None:
        self._services: Services | None = None
        self._heavy: HeavyWork | None = None
        self._redrawing: Redrawing | None = None
        #: The reminder tick and its task, while it runs.
        self.scheduler: Scheduler | None = None
        self.scheduler_task: asyncio.Task[None] | None = None
        #: The loop that looks for queued reports and exports, and how to stop it.
        self.heavy_task: asyncio.Task[None] | None = None
        self.heavy_stop: asyncio.Event | None = None
        #: Work taken over HTTP, finished before the web server stops (`InHand`).
        self.in_hand = InHand()

    @property
    def services(self) -> Services:
        """What every handler needs (`bot.services`)."""
        if self._services is None:
            raise RuntimeError("the application was not built by bot.app.build_application")
        return self._services

    @services.setter
    def services(self, services: Services) -> None:
        self._services = services

    @property
    def heavy(self) -> HeavyWork:
        """The runner of reports and exports (`bot.heavy`)."""
        if self._heavy is None:
            raise RuntimeError("the application was not built by bot.app.build_application")
        return self._heavy

    @heavy.setter
    def heavy(self, heavy: HeavyWork) -> None:
        self._heavy = heavy

    @property
    def redrawing(self) -> Redrawing:
        """The redraws of requests' copies under way (`bot.request_copies`)."""
        if self._redrawing is None:
            raise RuntimeError("the application was not built by bot.app.build_application")
        return self._redrawing

    @redrawing.setter
    def redrawing(self, redrawing: Redrawing) -> None:
        self._redrawing = redrawing


#: A handler's context, and the application, with `bot_data` typed.
Context = CallbackContext[LeanBot, dict[Any, Any], dict[Any, Any], BotData]
App = Application[LeanBot, Context, dict[Any, Any], dict[Any, Any], BotData, Any]
CONTEXT_TYPES = ContextTypes(context=CallbackContext, bot_data=BotData)
