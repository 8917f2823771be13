"""The application's typed context: what one process keeps for every handler, and its types.

PTB makes a `BotData` when the application is built (`ContextTypes(bot_data=BotData)`), so
handlers read `context.bot_data.services` with its type known, and no string keys.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ContextTypes

from bot.lean_bot import LeanBot

if TYPE_CHECKING:
    from bot.heavy import HeavyWork
    from bot.request_copies import Redrawing
    from bot.scheduler import Scheduler
    from bot.services import Services


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
