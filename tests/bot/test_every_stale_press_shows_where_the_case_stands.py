"""Every button of a case, pressed once out of date, is answered the same way: the pop-up
says it is out of date, and the case's card shows where the case stands now.

Before, a choice or a side button pressed out of date on a case still open brought its card
back, but the buttons of a card left from before the case was cancelled (✖ Cancel case,
Note, every answer) showed only the pop-up, and stayed there, looking alive.
"""

from __future__ import annotations

import copy

import pytest

from bot.callbacks import customer_button
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import CASE_BUTTON, TIMELESS, case_buttons, case_number, open_case

pytestmark = pytest.mark.asyncio

NAME = "Nguyễn Thị Hương"
WORDS = {
    "lan": {
        "stale": "This button is out of date",
        "note": "📝 Add a note",
        "cancel": "✖ Cancel (mistake)",
        "cancelled": "Cancelled",
    },
    "hoa": {
        "stale": "Nút này đã cũ",
        "note": "📝 Thêm ghi chú",
        "cancel": "✖ Hủy (tạo nhầm)",
        "cancelled": "Đã hủy",
    },
}
#: Buttons that add to a case at any step: they work from an older card while the case is
#: open (tests/bot/test_a_note_pressed_on_an_older_card_is_taken_as_a_note.py).
ANY_STEP = {"note", "evidence", "escalate_reason", "pause", "incident"}


#: How a case of each procedure is opened: its command, or the customer card's button (a
#: check-in has no command).
OPENINGS = ["/new", "/problem", "/exit", "checkin"]


async def opened(world: World, person: Person, opening: str) -> int:
    """A case of the opening's procedure at its first question after the customer."""
    if opening == "/new":
        return await open_case(person, NAME)
    customer_id = await add_customer(world, NAME)
    if opening == "checkin":
        await person.send("/customer Hương")
        await person.press(customer_button(customer_id, opening), person.api.last(person.chat_id))
        return case_number(person.last_text)
    await person.send(opening)
    case_id = case_number(person.last_text)
    await person.send("Hương")
    await person.press(NAME)
    return case_id


async def the_card(world: World, person: Person, case_id: int) -> SentMessage:
    card = world.api.find_message(person.chat_id, await world.card_message_id(case_id))
    assert card is not None
    assert not card.deleted
    return card


def live_buttons(person: Person, case_id: int) -> set[int]:
    """The versions of the case that buttons still showing in the chat were drawn for."""
    return {drawn for _, drawn, does in case_buttons(person, case_id) if does not in TIMELESS}


def versioned(data: str | None) -> bool:
    """Whether a button is about a case at the version it was drawn for."""
    match = CASE_BUTTON.match(data or "")
    return match is not None and match[3] not in TIMELESS


def step_bound(data: str | None) -> bool:
    """Whether a button answers the case at the step it was drawn for (not one that adds a
    note, a file, a word to supervisors or a pause at any step)."""
    return versioned(data) and (data or "").split(":")[-1] not in ANY_STEP


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("opening", OPENINGS)
async def test_every_button_of_a_case_pressed_out_of_date_shows_the_pop_up_and_the_card(
    world: World, who: str, opening: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await opened(world, person, opening)
    old = copy.deepcopy(person.api.last_with_buttons(person.chat_id))
    assert old is not None
    pressed = [b for row in old.buttons for b in row if step_bound(b.callback_data)]
    assert words["cancel"] in {b.text for b in pressed}
    assert words["note"] not in {b.text for b in pressed}

    # The case moves on (a note is logged): every button of the card before that answers a
    # step is out of date.
    await person.press(words["note"])
    await person.send("Called her back at 10")
    for button in pressed:
        answers = len(world.api.answers)
        await person.press_data(button.callback_data or "", old.message_id)
        assert words["stale"] in str(world.api.answers[answers:]), button.text
        case = await world.case(case_id)
        card = await the_card(world, person, case_id)
        assert live_buttons(person, case_id) == {case.version}, button.text
        assert card.buttons, button.text

    # The case is cancelled: a card left from before it shows how it ended, buttons and all.
    before_cancel = copy.deepcopy(person.api.last_with_buttons(person.chat_id))
    assert before_cancel is not None
    await person.press(words["cancel"])
    await person.send("Opened by mistake")
    for button in [b for row in before_cancel.buttons for b in row]:
        if not versioned(button.callback_data):
            continue
        answers = len(world.api.answers)
        await person.press_data(button.callback_data or "", before_cancel.message_id)
        assert words["stale"] in str(world.api.answers[answers:]), button.text
        card = await the_card(world, person, case_id)
        assert words["cancelled"] in card.plain_text, button.text
        assert not live_buttons(person, case_id), button.text
