"""A supervisor made staff, or gone, keeps no copy of a waiting request that looks decidable.

Roles change from the command line (`staff add --role`, `staff deactivate`), a process that
does not reach Telegram: the change marks the person's copies of requests that still wait,
and the bot's next tick redraws each without verdict buttons, saying why it is not theirs
to decide any more (the case left out: they may no longer see it). The other supervisors'
copies stay as they are, and the request still waits for them.

Before, the copies kept their Approve and Decline buttons, and pressing one only refused.

A verdict pressed on such a copy before the tick redraws it at once, saying why: before,
the press only refused, and the copy kept its buttons until the tick.

A copy is redrawn for who its reader is by the tick, not for what marked it: one made a
supervisor again, or back again, before it keeps its live buttons and decides. Before, it
was redrawn without them all the same.
"""

from __future__ import annotations

from typing import Any

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


async def made_supervisor(world: World, person: Person) -> None:
    """`main.py staff add ID NAME --role supervisor`: back again, as the command line does it."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            person.telegram_id, person.first_name, "supervisor"
        )
        await uow.commit()


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("gone_for_a_while", [made_staff, deactivate])
async def test_a_supervisor_back_before_the_tick_keeps_their_copies_live_and_decides(
    world: World, language: str, gone_for_a_while: Any
) -> None:
    back, other, case_id = await both_asked(world, language)
    copy, others = back.last, other.last
    await gone_for_a_while(world, back)
    await made_supervisor(world, back)
    await world.scheduler.tick()
    assert live(copy)
    assert DEMOTED[language].format(case=case_id) not in copy.plain_text
    assert LEFT[language].format(case=case_id) not in copy.plain_text
    assert await world.count("request_copies") == 2  # both wait with the request
    await back.press("Approve" if language == "en" else "Duyệt", copy)
    assert (await world.case(case_id)).state == "follow_up"
    await world.work_done()
    assert not live(others)  # the decision turned the other's copy, as any decision does
    assert not live(copy)


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_verdict_pressed_by_a_supervisor_made_staff_before_the_tick_redraws_the_copy(
    world: World, language: str
) -> None:
    gone, other, case_id = await both_asked(world, language)
    copy, others = gone.last, other.last
    await made_staff(world, gone)
    await gone.press("Approve" if language == "en" else "Duyệt", copy)
    assert DEMOTED[language].format(case=case_id) in copy.plain_text
    assert not copy.buttons  # not even the case: it is not theirs to open
    assert (await world.case(case_id)).state == "awaiting_approval"  # it still waits
    assert live(others)
    assert await world.count("request_copies") == 1  # the other's, still waiting


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_verdict_forged_by_staff_on_their_own_card_leaves_the_card_as_it_is(
    world: World, language: str
) -> None:
    owner = world.lan if language == "en" else world.hoa
    case_id = await asking_approval(owner)
    card = world.api.last_with_buttons(owner.chat_id)
    assert card is not None
    text, buttons = card.plain_text, card.button_labels
    version = (await world.case(case_id)).version
    await owner.press_data(f"k:{case_id}:{version}:d:y", card.message_id)
    assert (card.plain_text, card.button_labels) == (text, buttons)  # no copy of theirs
    assert (await world.case(case_id)).state == "awaiting_approval"
