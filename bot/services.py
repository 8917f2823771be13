"""What every handler needs, built once per process and kept in `bot_data` (`bot.context`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from telegram import User

from bot.config import Settings
from bot.render import Renderer
from bot.screens import Screens
from flows.model import Role, Staff
from flows.newest import Newest
from flows.parsing import InvalidInput, clean_name
from flows.policy import Policy
from flows.scripts import LOCALES, Scripts
from storage.engine import is_sqlite
from storage.uow import PendingCards


def utc_now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


#: How many answered update ids a process keeps in mind: a webhook retried while the
#: process lives comes within that many updates; one evicted only gets its card again.
ANSWERED_KEPT = 1_000
#: How many people's languages a process keeps in mind (a few bytes each).
LANGUAGES_KEPT = 10_000


@dataclass(frozen=True)
class Doubt:
    """A typed answer whose commit could not be confirmed: the update and a digest of it."""

    update_id: int
    digest: str
    at: float  # time.monotonic() when it happened
    case_id: int | None = None  # the case it was saved into, where known


@dataclass
class Services:
    """Settings, wording, database and clock shared by the handlers."""

    settings: Settings
    scripts: Scripts
    engine: AsyncEngine
    sessions: async_sessionmaker[Any]
    clock: Callable[[], datetime] = utc_now
    policy: Policy = field(init=False)
    bot_id: int = field(init=False)
    #: Updates this process has answered: a redelivery of one of them needs no answer again.
    answered: Newest[int, bool] = field(init=False)  # update ids answered here
    #: Per person, the typed answer whose saving could not be confirmed (see bot.runtime).
    in_doubt: dict[int, Doubt] = field(init=False, default_factory=dict)
    #: Each person's last typed answer that was saved, to know it if it comes twice.
    last_saved: dict[int, Doubt] = field(init=False, default_factory=dict)
    #: Where cards were sent, written by the next update's transaction (storage.uow).
    cards: PendingCards = field(init=False)
    #: What each chat shows: where a card can be edited in place (bot.screens).
    screens: Screens = field(init=False, default_factory=Screens)
    #: The language each person chose, by Telegram id, as last read here: for what is said
    #: to them without their row (a fault, the database away, a command typed in a group).
    languages: Newest[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.policy = self.settings.policy()
        self.bot_id = self.settings.telegram.bot_id
        self.answered = Newest(ANSWERED_KEPT)
        self.languages = Newest(LANGUAGES_KEPT)
        self.cards = PendingCards(deferred=is_sqlite(self.settings.database.url))

    def locale_for(self, person: Staff | None, user: User | None = None) -> str:
        """Pick the reader's language: their choice (known from their row, or remembered
        from the last time it was read), Telegram's, then the default."""
        if person is not None and person.locale in LOCALES:
            self.languages[person.telegram_id] = person.locale
            return person.locale
        chosen = self.languages.get(user.id) if user else None
        if chosen is not None:
            return chosen
        code = (user.language_code or "")[:2] if user else ""
        return code if code in LOCALES else self.settings.people.default_locale

    def own_name(self, person: Staff, user: User) -> str | None:
        """The person's own name, as Telegram gives it, while they are known by the one the
        bot made up for them (an admin from the settings, registered before they ever wrote:
        "Quản trị viên 5555"); None once their name is theirs, or if Telegram's shows none."""
        made_up = (
            self.scripts.get(locale, "people.admin_name", id=person.telegram_id)
            for locale in LOCALES
        )
        if person.role != Role.admin or person.name not in made_up:
            return None
        limit = self.policy.name_limit
        with contextlib.suppress(InvalidInput):
            return clean_name(user.full_name[:limit], limit)
        return None

    def tz_for(self, person: Staff | None) -> ZoneInfo:
        """Return the reader's time zone."""
        name = person.timezone if person and person.timezone else None
        return ZoneInfo(name or self.settings.people.default_timezone)

    def renderer(self, person: Staff | None, user: User | None = None) -> Renderer:
        """Return a renderer in the reader's language and time zone."""
        return Renderer(
            self.scripts, self.policy, self.locale_for(person, user), self.tz_for(person), person
        )
