"""What every handler needs, built once per process and kept in `bot_data`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from telegram import User
from telegram.ext import CallbackContext

from bot.config import Settings
from bot.render import Renderer
from flows.model import Staff
from flows.policy import Policy
from flows.scripts import LOCALES, Scripts

SERVICES_KEY = "services"


def utc_now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass
class Services:
    """Settings, wording, database and clock shared by the handlers."""

    settings: Settings
    scripts: Scripts
    engine: AsyncEngine
    sessions: async_sessionmaker[Any]
    clock: Callable[[], datetime] = utc_now
    policy: Policy = field(init=False)

    def __post_init__(self) -> None:
        self.policy = self.settings.policy()

    def locale_for(self, person: Staff | None, user: User | None = None) -> str:
        """Pick the reader's language: their choice, Telegram's, then the default."""
        if person is not None and person.locale in LOCALES:
            return person.locale
        code = (user.language_code or "")[:2] if user else ""
        return code if code in LOCALES else self.settings.people.default_locale

    def tz_for(self, person: Staff | None) -> ZoneInfo:
        """Return the reader's time zone."""
        name = person.timezone if person and person.timezone else None
        return ZoneInfo(name or self.settings.people.default_timezone)

    def renderer(self, person: Staff | None, user: User | None = None) -> Renderer:
        """Return a renderer in the reader's language and time zone."""
        return Renderer(
            self.scripts, self.policy, self.locale_for(person, user), self.tz_for(person)
        )


def services_of(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """Fetch the shared services from a handler's context."""
    return context.application.bot_data[SERVICES_KEY]  # type: ignore[no-any-return]
