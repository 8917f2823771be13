"""A whole bot on a fresh database, driven through the in-process Bot API stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from bot.app import build_application, offline
from bot.config import Settings
from bot.scheduler import Scheduler
from bot.services import Services
from flows.model import Case, CaseEvent, Reminder
from flows.people import People
from standin.inprocess import FakeBotApi, Person
from storage.uow import SqlUnitOfWork
from tests.conftest import Clock

LAN, HOA, BERND, MINH, STRANGER = 1001, 1002, 1003, 2001, 9999
THAO = 2003  # a supervisor who reads Vietnamese, registered by the tests that need her


@dataclass
class World:
    """The application, the stand-in and the people who talk to it."""

    app: Any
    api: FakeBotApi
    clock: Clock
    services: Services
    lan: Person  # staff, English
    hoa: Person  # staff, Vietnamese
    bernd: Person  # staff, English, in Berlin
    minh: Person  # supervisor, English
    stranger: Person  # not registered

    @property
    def scheduler(self) -> Scheduler:
        return Scheduler(self.app.bot, self.services)

    async def work_done(self) -> None:
        """Wait for the work begun so far off the staff's lane: reports and exports queued,
        and the copies of requests that no longer wait being redrawn."""
        await self.app.bot_data.heavy.wait()
        await self.app.bot_data.redrawing.wait()

    async def card_message_id(self, case_id: int) -> int:
        """The message showing a case's card: as this process remembers it (SQLite writes it
        with the next update), or as the case records it (PostgreSQL writes it at once)."""
        where = self.services.cards.where(case_id)
        return where[1] if where is not None else (await self.case(case_id)).card_message_id or 0

    async def case(self, case_id: int) -> Case:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            case = await uow.cases.get(case_id)
        assert case is not None
        return case

    async def events(self, case_id: int) -> Sequence[CaseEvent]:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            return await uow.events.for_case(case_id)

    async def reminders(self) -> Sequence[Reminder]:
        from sqlalchemy import select

        async with SqlUnitOfWork(self.services.sessions) as uow:
            rows = await uow.session.execute(select(Reminder).order_by(Reminder.id))  # type: ignore[arg-type]
            return rows.scalars().all()

    async def count(self, table: str) -> int:
        from sqlalchemy import text

        async with SqlUnitOfWork(self.services.sessions) as uow:
            return int(
                (await uow.session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            )


@asynccontextmanager
async def restarted(
    world: World, database_url: str, *others: Person, **sections: dict[str, Any]
) -> AsyncIterator[World]:
    """The bot started anew on the same database and the same stand-in, with nothing of the
    old process's memory: everyone (the world's people and `others`) talks to the new one;
    its settings changed as `sections` say."""
    settings = settings_for(database_url, **sections)
    fresh = build_application(settings, request=world.api, clock=world.clock)
    async with offline(fresh) as services:
        world.app, world.services = fresh, services
        for person in (world.lan, world.hoa, world.bernd, world.minh, world.stranger, *others):
            person.application = fresh
        yield world


def settings_for(database_url: str, **sections: dict[str, Any]) -> Settings:
    data: dict[str, Any] = {
        "database": {"url": database_url},
        # The loop is not started (tests tick by hand); digests are tested on their own.
        "reminders": {"enabled": False, "digest": False},
        # The stand-in has no flood limit: pacing calls at Telegram's 30 a second would only
        # make every test wait (tests of pacing set it back).
        "telegram": {"calls_per_second": 100_000},
    }
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    return Settings.model_validate(data)


async def make_world(settings: Settings, clock: Clock) -> AsyncIterator[World]:
    api = FakeBotApi()
    app = build_application(settings, request=api, clock=clock)
    async with offline(app) as services:
        async with SqlUnitOfWork(services.sessions) as uow:
            people = People(uow, services.policy, clock)
            await people.register(LAN, "Lan", "staff", "en")
            await people.register(HOA, "Hòa", "staff", "vi")
            await people.register(BERND, "Bernd", "staff", "en", "Europe/Berlin")
            await people.register(MINH, "Minh", "supervisor", "en")
            await uow.commit()
        yield World(
            app=app,
            api=api,
            clock=clock,
            services=services,
            lan=Person(app, api, LAN, "Lan", "en"),
            hoa=Person(app, api, HOA, "Hòa", "vi"),
            bernd=Person(app, api, BERND, "Bernd", "en"),
            minh=Person(app, api, MINH, "Minh", "en"),
            stranger=Person(app, api, STRANGER, "Eve", "en"),
        )


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    async for w in make_world(settings_for(database_url), clock):
        yield w


@pytest.fixture
async def digest_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """A world whose scheduler sends the daily digest (off in `world`)."""
    async for w in make_world(settings_for(database_url, reminders={"digest": True}), clock):
        yield w


async def registered_thao(world: World) -> Person:
    """Register Thảo, a supervisor who reads Vietnamese; her side of the chat."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            THAO, "Thảo", "supervisor", "vi"
        )
        await uow.commit()
    return thao(world)


def thao(world: World) -> Person:
    """Thảo's side of the chat (registered by `registered_thao`)."""
    return Person(world.app, world.api, THAO, "Thảo", "vi")


def supervisor_reading(world: World, locale: str) -> Person:
    """The supervisor who reads `locale`: Minh in English, Thảo in Vietnamese."""
    return world.minh if locale == "en" else thao(world)


async def staff_and_supervisor(world: World, locale: str) -> tuple[Person, Person]:
    """The staff member and the supervisor who read `locale`: Lan and Minh in English, Hòa
    and Thảo (registered here) in Vietnamese."""
    if locale == "en":
        return world.lan, world.minh
    return world.hoa, await registered_thao(world)
