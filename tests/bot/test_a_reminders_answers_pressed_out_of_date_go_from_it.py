"""A reminder's answers pressed once out of date (the follow-up already answered, the fix
already confirmed, the case cancelled since; before or after a restart) say so, show where
the case stands, change nothing, and go from the reminder: pressed again, they could only
say the same, each time bringing the card once more.

Before, they stayed on the reminder, looking alive, and every press brought another copy
of the card.
"""

from __future__ import annotations

import re

import pytest

from flows.scripts import plain
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, restarted
from tests.bot.test_every_careless_step_is_answered_in_the_readers_language import (
    SCRIPTS,
    snapshot,
)
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up, promised_fix
from tests.bot.walk import label

pytestmark = pytest.mark.asyncio

ANSWER = re.compile(r"k:\d+:\d+:[fx]:")
CANCEL = {"en": ("✖ Cancel case", "Opened by mistake"), "vi": ("✖ Hủy hồ sơ", "Mở nhầm")}


def answers_on(world: World, person: Person, reminder: SentMessage) -> list[str]:
    shown = world.api.find_message(person.chat_id, reminder.message_id)
    assert shown is not None
    return [
        str(b.callback_data)
        for row in shown.buttons
        for b in row
        if ANSWER.match(str(b.callback_data))
    ]


async def a_follow_up_answered(world: World, person: Person) -> SentMessage:
    """A follow-up reminder, answered from it: the case is closed."""
    await case_waiting_for_follow_up(person, label(person, "Tomorrow"))
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    reminder = world.api.last_with_buttons(person.chat_id)
    assert reminder is not None
    await person.press(str(reminder.buttons[0][0].callback_data), reminder)  # satisfied
    return reminder


async def a_fix_reminder_of_a_case_cancelled(world: World, person: Person) -> SentMessage:
    """A promised fix's reminder, then the case cancelled from its card."""
    await promised_fix(person)
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    reminder = world.api.last_with_buttons(person.chat_id)
    assert reminder is not None
    cancel, reason = CANCEL[person.language_code or "en"]
    await person.press(cancel)
    await person.send(reason)
    return reminder


@pytest.mark.parametrize("restart", [False, True], ids=["same process", "after a restart"])
@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("reminded", [a_follow_up_answered, a_fix_reminder_of_a_case_cancelled])
async def test_a_reminders_answer_pressed_out_of_date_takes_its_answers_off_it(
    world: World, database_url: str, language: str, restart: bool, reminded: object
) -> None:
    person = world.lan if language == "en" else world.hoa
    reminder = await reminded(world, person)  # type: ignore[operator]
    [*_, last] = answers_on(world, person, reminder)
    before, answered = await snapshot(world), len(world.api.answers)
    if restart:
        async with restarted(world, database_url):
            await person.press(last, reminder)
    else:
        await person.press(last, reminder)
    assert await snapshot(world) == before
    stale = plain(SCRIPTS.get(language, "error.stale", case=1))
    assert stale in str(world.api.answers[answered:])
    assert answers_on(world, person, reminder) == []
