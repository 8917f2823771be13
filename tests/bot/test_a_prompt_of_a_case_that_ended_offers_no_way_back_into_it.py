"""The prompt of a case's side action (a note, a reason, a file) offers ▶ Carry on with this
case. Once the case has ended, the prompt no longer offers it, in the chat of whoever ended
it and in the owner's: the reason asked for a cancel is not left under a button that looks
as if the case could still be carried on with.

Before, the reason's prompt kept ▶ Carry on with this case above "Case #1 has been
cancelled", and a press showed the case's timeline; a note's prompt in the owner's chat
stayed so too when a supervisor cancelled the case.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World
from tests.bot.test_every_stale_press_shows_where_the_case_stands import OPENINGS, opened
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

WORDS = {
    "lan": {
        "cancel": "✖ Cancel (mistake)",
        "note": "📝 Add a note",
        "carry_on": "▶ Carry on with this case",
    },
    "hoa": {
        "cancel": "✖ Hủy (tạo nhầm)",
        "note": "📝 Thêm ghi chú",
        "carry_on": "▶ Làm tiếp hồ sơ này",
    },
}


def still_offered(person: Person, prompt: SentMessage) -> list[str]:
    """The buttons the prompt shows now."""
    shown = person.api.find_message(person.chat_id, prompt.message_id)
    assert shown is not None
    return shown.button_labels


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("opening", OPENINGS)
async def test_the_reason_asked_for_a_cancel_offers_no_carry_on_once_the_case_is_cancelled(
    world: World, who: str, opening: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await opened(world, person, opening)
    await person.press(WORDS[who]["cancel"])
    prompt = person.last
    assert still_offered(person, prompt) == [WORDS[who]["carry_on"]]
    await person.send("Opened by mistake")
    assert (await world.case(case_id)).state == "cancelled"
    assert still_offered(person, prompt) == []


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_every_prompt_of_a_case_cancelled_loses_its_carry_on_in_the_owners_chat_too(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(WORDS[who]["note"])
    answered = person.last
    await person.send("Customer called twice")
    await person.press(WORDS[who]["note"])
    waiting = person.last  # left open: the next message would be the note
    assert still_offered(person, waiting) == [WORDS[who]["carry_on"]]
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    minh_prompt = world.minh.last
    await world.minh.send("Duplicate of case 7")
    assert (await world.case(case_id)).state == "cancelled"
    assert still_offered(person, answered) == []
    assert still_offered(person, waiting) == []
    assert still_offered(world.minh, minh_prompt) == []


async def test_a_prompt_of_a_case_still_open_keeps_its_carry_on(world: World) -> None:
    lan = world.lan
    await open_case(lan)
    await walk_to_fix(lan)
    await lan.press("📝 Add a note")
    prompt = lan.last
    await lan.send("Customer called twice")
    await lan.send("Re-delivered by our own van")
    await lan.press("✅ Fixed now")
    assert still_offered(lan, prompt) == ["▶ Carry on with this case"]
