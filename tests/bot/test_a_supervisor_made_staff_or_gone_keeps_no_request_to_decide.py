"""A supervisor made staff, or gone, keeps no copy of a waiting request that looks decidable.

Roles change from the command line (`staff add --role`, `staff deactivate`), a process that
does not reach Telegram: the change marks the person's copies of requests that still wait,
and the bot's next tick redraws each without verdict buttons, saying why it is not theirs
to decide any more (the case left out: they may no longer see it). The other supervisors'
copies stay as they are, and the request still waits for them.

Before, the copies kept their Approve and Decline buttons, and pressing one only refused.
"""

from __future__ import annotations

import pytest

from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_requests_no_longer_waiting import live, supervisor_thu
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

DEMOTED = {
    "en": "Case #{case}: you are no longer a supervisor, so this request is not yours",
    "vi": "Hồ sơ #{case}: bạn không còn là quản lý nên yêu cầu này không còn do bạn",
}
LEFT = {
    "en": "Case #{case}: your access to this bot has ended, so this request is not yours",
    "vi": "Hồ sơ #{case}: tài khoản của bạn trên bot đã ngừng hoạt động nên yêu cầu này",
}


async def made_staff(world: World, person: Person) -> None:
    """`main.py staff add ID NAME --role staff`, as the command line does it."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            person.telegram_id, person.first_name, "staff"
        )
        await uow.commit()


async def both_asked(world: World, language: str) -> tuple[Person, Person, int]:
    """Lan asks for a decision; Minh (en) and Thu (vi) each hold a live copy. Return the
    supervisor in `language`, the other, and the case."""
    thu = await supervisor_thu(world)
    case_id = await asking_approval(world.lan)
    assert live(world.minh.last)
    assert live(thu.last)
    return (world.minh, thu, case_id) if language == "en" else (thu, world.minh, case_id)


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisor_made_staff_has_their_copies_redrawn_by_the_next_tick(
    world: World, language: str
) -> None:
    gone, other, case_id = await both_asked(world, language)
    copy, others = gone.last, other.last
    await made_staff(world, gone)
    await world.scheduler.tick()
    assert DEMOTED[language].format(case=case_id) in copy.plain_text
    assert not live(copy)
    assert not copy.buttons  # not even the case: it is not theirs to open
    assert live(others)  # the request still waits for the other supervisor
    assert (await world.case(case_id)).state == "awaiting_approval"
    assert await world.count("request_copies") == 1  # the other's, still waiting


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisor_deactivated_has_their_copies_redrawn_by_the_next_tick(
    world: World, language: str
) -> None:
    gone, other, case_id = await both_asked(world, language)
    copy, others = gone.last, other.last
    await deactivate(world, gone)
    await world.scheduler.tick()
    assert LEFT[language].format(case=case_id) in copy.plain_text
    assert not live(copy)
    assert live(others)


async def test_a_supervisor_made_admin_keeps_their_copies_to_decide(world: World) -> None:
    _, _, case_id = await both_asked(world, "en")
    copy = world.minh.last
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            world.minh.telegram_id, "Minh", "admin"
        )
        await uow.commit()
    await world.scheduler.tick()
    assert live(copy)
    await world.minh.press("Approve", copy)
    assert (await world.case(case_id)).state == "follow_up"
