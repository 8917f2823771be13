"""The list of people to hand a case to, and the timeline's 🔁 Hand over, lose their
buttons as soon as they are used — the case handed over, or taken by the supervisor — and
so does every other such list or timeline of the case left open before: each could only say
it is out of date. A timeline keeps its ▶ Carry on with this case, which still leads there.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World
from tests.bot.test_a_supervisor_hands_a_case_over import HAND_OVER, TAKE_IT
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

CARRY_ON = {"en": "▶ Carry on with this case", "vi": "▶ Làm tiếp hồ sơ này"}


def labels_now(world: World, person: Person, message: SentMessage) -> list[str]:
    shown = world.api.find_message(person.chat_id, message.message_id)
    assert shown is not None
    return [b.text for row in shown.buttons for b in row]


async def timeline_and_two_lists(
    world: World, supervisor: Person, case_id: int
) -> list[SentMessage]:
    """The case's timeline, and the list of people opened from it twice."""
    await supervisor.send(f"/case {case_id}")
    timeline = world.api.last_with_buttons(supervisor.chat_id)
    assert timeline is not None
    lists = []
    for _ in range(2):
        await supervisor.press(HAND_OVER[supervisor.language_code or "en"], timeline)
        picker = world.api.last_with_buttons(supervisor.chat_id)
        assert picker is not None
        lists.append(picker)
    return [timeline, *lists]


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("to", ["someone", "themselves"])
async def test_a_case_handed_over_leaves_no_list_of_people_nor_hand_over_button_alive(
    world: World, language: str, to: str
) -> None:
    supervisor = world.minh if language == "en" else await quang(world)
    owner = world.lan if language == "en" else world.hoa
    taker = {"en": "👤 Bernd", "vi": "👤 Lan"}[language] if to == "someone" else TAKE_IT[language]
    case_id = await open_case(owner)
    timeline, first, second = await timeline_and_two_lists(world, supervisor, case_id)
    await supervisor.press(taker, second)
    assert labels_now(world, supervisor, second) == []
    assert labels_now(world, supervisor, first) == []
    assert labels_now(world, supervisor, timeline) == [CARRY_ON[language]]
