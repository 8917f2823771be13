"""A message answered by the card it is already showing is still seen to be answered.

The answer to a typed message is the case's card, edited in place where the chat still
shows it (with a notice folded in). Typed again, the same answer is the very text the card
shows already: Telegram refuses the edit ("message is not modified") and nothing changes on
screen, as if the message had been ignored. The card then comes anew, below the message.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

USE_BUTTONS = {
    "lan": "is answered with the buttons: please press one on the card below.",
    "hoa": "chỉ trả lời bằng nút: bạn vui lòng bấm một nút trên hồ sơ bên dưới.",
}
ASKED = {
    "lan": "how did the customer react?",
    "hoa": "khách phản ứng ra sao?",
}
WHO_IS_THE_CUSTOMER = {"lan": "Who is the customer?", "hoa": "Khách hàng là ai?"}


def latest(person: Person) -> int:
    return person.last.message_id


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_text_typed_again_where_a_button_is_expected_is_answered_again_visibly(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    for time in range(3):
        before = latest(person)
        await person.send("She is fine now")
        assert latest(person) != before or time == 0  # the first answer edits the card
        assert USE_BUTTONS[who] in person.messages[-2].plain_text  # with 📝 Keep as note
        assert ASKED[who] in person.last_text
        assert person.last.buttons  # the card, with its buttons, is the latest message


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("command", ["/new", "/problem", "/exit"])
async def test_a_case_opening_command_sent_again_shows_its_card_again(
    world: World, who: str, command: str
) -> None:
    person: Person = getattr(world, who)
    await person.send(command)
    first = latest(person)
    await person.send(command)
    assert latest(person) != first  # a new message: the command was heard
    assert WHO_IS_THE_CUSTOMER[who] in person.last_text
    shown = [m for m in world.api.messages(person.chat_id) if m.buttons]
    assert len(shown) == 1  # one card of the one untouched case, not two
    assert await world.count("cases") == 1


async def test_an_answer_that_changes_the_card_still_edits_it_in_place_with_one_call(
    world: World,
) -> None:
    person = world.lan
    await open_case(person)
    await person.press("Upset")  # the apology's note is asked next, typed
    card = latest(person)
    calls = len(world.api.calls)
    await person.send("She is fine now")
    assert latest(person) == card
    assert [c.method for c in world.api.calls[calls:]] == ["editMessageText"]
