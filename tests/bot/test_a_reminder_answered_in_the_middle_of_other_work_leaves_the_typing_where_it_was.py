"""A follow-up reminder comes while its owner is half-way through typing for another case.

Pressing its answer used to take their typing with it: once the reminder's case was closed
(😊 Satisfied), the text typed next for the other case was refused as expected nowhere;
once it waited again on its buttons (📵 In 1 hour), the text was refused as an answer to
those buttons, without even being quoted back. Now what they type next still goes where it
was meant, and they are told so; only an answer that reopens the reminder's case, whose
card then asks for typing, takes the typing there, and the work left is said to wait.
"""

from __future__ import annotations

import pytest

from bot import callbacks as cb
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up
from tests.bot.walk import open_case, walk_to_fix, words

pytestmark = pytest.mark.asyncio

TYPED = "Đã đổi áo đúng màu cho khách"


async def reminded_while_typing(world: World, person: Person) -> tuple[int, int]:
    """A case waiting for its follow-up (reminded now) and another case whose card asks
    what was done to fix it: the one being typed for."""
    reminded = await case_waiting_for_follow_up(person)
    typing = await open_case(person, "Trần Văn Nam", "Sai màu áo")
    await walk_to_fix(person)
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    return reminded, typing


async def answer_reminder(person: Person, case_id: int, answer: str) -> None:
    """Press an answer on the case's follow-up reminder, whatever its label."""
    for message in reversed(person.messages):
        for row in message.buttons:
            for button in row:
                data = button.callback_data or ""
                if data.startswith(f"k:{case_id}:") and data.endswith(f":{cb.FOLLOW_UP}:{answer}"):
                    await person.press(data, message)
                    return
    raise AssertionError(f"no {answer!r} on a reminder of case #{case_id}")


@pytest.mark.parametrize("answer", ["satisfied", "later_1h"])
@pytest.mark.parametrize("language", ["en", "vi"])
async def test_text_typed_after_a_reminders_answer_goes_to_the_case_it_was_typed_for(
    world: World, language: str, answer: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    reminded, typing = await reminded_while_typing(world, person)
    await answer_reminder(person, reminded, answer)
    assert words(person, "reminder.kept_focus", case=typing) in person.last_text
    await person.send(TYPED)
    assert (await world.case(typing)).draft.get("action") == TYPED
    assert [e.kind for e in await world.events(reminded)][-1] in ("satisfied", "unreachable")


async def test_a_note_being_typed_for_another_case_is_added_there_after_the_reminder(
    world: World,
) -> None:
    reminded, typing = await reminded_while_typing(world, world.lan)
    await world.lan.press(
        "📝 Add a note",
        world.api.find_message(world.lan.chat_id, await world.card_message_id(typing)),
    )
    await answer_reminder(world.lan, reminded, "satisfied")
    await world.lan.send("The customer asked for a call after 5 pm")
    [*_, note] = await world.events(typing)
    assert (note.kind, note.data["text"]) == ("note", "The customer asked for a call after 5 pm")


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_reminder_that_reopens_its_case_says_the_other_question_waits_where_it_was(
    world: World, language: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    reminded, typing = await reminded_while_typing(world, person)
    await answer_reminder(person, reminded, "still_unhappy")  # it asks what was done now
    assert any(words(person, "aside.field", case=typing) in m.plain_text for m in person.messages)
    assert words(person, "reminder.kept_focus", case=typing) not in person.last_text
