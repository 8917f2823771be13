"""Work handed over from one person to another who reads the other language: a reminder of
someone deactivated reaches a supervisor in the supervisor's own language, and the words to
say on the call are theirs to say, in their own name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, make_world, registered_thao, settings_for, thao
from tests.bot.test_reminders import TUESDAY_9AM, reminder_texts
from tests.bot.walk import choose, compensate, label, open_case, walk_to_compensate, walk_to_fix
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    async for w in make_world(settings_for(database_url), clock):
        await registered_thao(w)
        yield w


async def deactivated_with_a_follow_up_due(world: World, owner: Person) -> None:
    """`owner` agrees a follow-up for tomorrow, then leaves; tomorrow comes."""
    world.clock.now = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # Monday 09:30
    await open_case(owner, "Tran Van Binh", "Late delivery")
    await walk_to_compensate(owner)
    await compensate(owner)
    await owner.press(label(owner, "Tomorrow"))
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).deactivate(owner.telegram_id)
        await uow.commit()
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # handed over to the supervisors
    await world.scheduler.tick()  # delivered to each


@pytest.mark.parametrize(
    ("owner", "reader", "heading", "said", "unsaid"),
    [
        (
            "hoa",
            "minh",
            "Time to follow up",
            "This is Minh from customer care.",
            ("Hòa from", "Em là", "Dạ"),
        ),
        (
            "lan",
            "thao",
            "Đến giờ theo dõi",
            "Em là Thảo bên chăm sóc khách hàng ạ.",
            ("Lan from", "This is", "Time to"),
        ),
    ],
)
async def test_a_follow_up_handed_over_reads_in_the_supervisors_language_and_name(
    world: World, owner: str, reader: str, heading: str, said: str, unsaid: tuple[str, ...]
) -> None:
    supervisor = world.minh if reader == "minh" else thao(world)
    await deactivated_with_a_follow_up_due(world, getattr(world, owner))
    [reminder] = reminder_texts(supervisor, heading)
    assert said in reminder
    assert not [word for word in unsaid if word in reminder]


@pytest.mark.parametrize(
    ("owner", "reader", "said", "unsaid"),
    [
        ("hoa", "minh", "Hòa promised “Re-delivered", ("you promised", "bạn đã hẹn")),
        ("lan", "thao", "Lan đã hẹn “Re-delivered", ("bạn đã hẹn", "promised")),
    ],
)
async def test_a_promised_fix_handed_over_says_whose_promise_it_was(
    world: World, owner: str, reader: str, said: str, unsaid: tuple[str, ...]
) -> None:
    person = getattr(world, owner)
    supervisor = world.minh if reader == "minh" else thao(world)
    world.clock.now = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # Monday 09:30
    await open_case(person, "Tran Van Binh", "Late delivery")
    await walk_to_fix(person)
    await person.send("Re-delivered by our own van within the hour")
    await choose(person, "in_progress")
    await choose(person, "tomorrow")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).deactivate(person.telegram_id)
        await uow.commit()
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # handed over to the supervisors
    await world.scheduler.tick()  # delivered to each
    [reminder] = reminder_texts(supervisor, "🔧")
    assert said in reminder
    assert not [word for word in unsaid if word in reminder]
