"""Buttons of a case on a message that is not its card — a reminder's answers (the
follow-up already answered or set again for later, the fix already confirmed, the case
cancelled since), a
supervisor's hand-over on a timeline or in the list of people to pick (the case cancelled
since) — go from that message as soon as the case moves on; one this process never saw (a
restart) loses them when pressed: they say so, show where the case stands and change
nothing. Pressed again, they could only say the same, each time bringing the card once
more. The message's other buttons stay.

Before, they stayed, looking alive, and every press brought another copy of the card.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from flows.scripts import plain
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, restarted
from tests.bot.test_every_careless_step_is_answered_in_the_readers_language import (
    registered_thao,
    snapshot,
)
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up, promised_fix
from tests.bot.walk import SCRIPTS, label, open_case, words

pytestmark = pytest.mark.asyncio

ANSWER = re.compile(r"k:\d+:\d+:[fxh]:")
CANCEL = {"en": ("✖ Cancel (mistake)", "Opened by mistake"), "vi": ("✖ Hủy (tạo nhầm)", "Mở nhầm")}


def answers_on(world: World, person: Person, reminder: SentMessage) -> list[str]:
    shown = world.api.find_message(person.chat_id, reminder.message_id)
    assert shown is not None
    return [
        str(b.callback_data)
        for row in shown.buttons
        for b in row
        if ANSWER.match(str(b.callback_data))
    ]


Moved = Callable[[], Awaitable[None]]


async def a_follow_up_reminder(world: World, person: Person) -> SentMessage:
    """A complaint waiting for its follow-up, and the follow-up's reminder come due."""
    await case_waiting_for_follow_up(person, label(person, "Tomorrow"))
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    reminder = world.api.last_with_buttons(person.chat_id)
    assert reminder is not None
    return reminder


async def a_follow_up_answered(world: World, person: Person) -> tuple[SentMessage, Moved]:
    """A follow-up reminder, then answered from it: the case is closed."""
    reminder = await a_follow_up_reminder(world, person)

    async def answered() -> None:
        await person.press(str(reminder.buttons[0][0].callback_data), reminder)  # satisfied

    return reminder, answered


async def a_follow_up_moved_later(world: World, person: Person) -> tuple[SentMessage, Moved]:
    """A follow-up reminder, then the call set again for an hour later from it: the case
    waits at the same step, for another follow-up, which will have a reminder of its own."""
    reminder = await a_follow_up_reminder(world, person)

    async def moved() -> None:
        await person.press(words(person, "button.follow_up.later_1h"), reminder)

    return reminder, moved


async def a_fix_reminder_of_a_case_cancelled(
    world: World, person: Person
) -> tuple[SentMessage, Moved]:
    """A promised fix's reminder, then the case cancelled from its card."""
    await promised_fix(person)
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    reminder = world.api.last_with_buttons(person.chat_id)
    assert reminder is not None
    cancel, reason = CANCEL[person.language_code or "en"]

    async def cancelled() -> None:
        await person.press(cancel)
        await person.send(reason)

    return reminder, cancelled


REMINDED = [a_follow_up_answered, a_follow_up_moved_later, a_fix_reminder_of_a_case_cancelled]


async def pressed_out_of_date(
    world: World, person: Person, message: SentMessage, data: str, case_id: int
) -> None:
    """Press `data` on the message once the case moved on: it says so, changes nothing and
    leaves the message without answers."""
    before, answered = await snapshot(world), len(world.api.answers)
    await person.press_data(data, message.message_id)
    assert await snapshot(world) == before
    stale = plain(SCRIPTS.get(person.language_code or "en", "error.stale", case=case_id))
    assert stale in str(world.api.answers[answered:])
    assert answers_on(world, person, message) == []


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("reminded", REMINDED)
async def test_a_reminders_answers_go_from_it_as_soon_as_the_case_moves_on(
    world: World, language: str, reminded: object
) -> None:
    person = world.lan if language == "en" else world.hoa
    reminder, move_on = await reminded(world, person)  # type: ignore[operator]
    [*_, last] = answers_on(world, person, reminder)
    await move_on()
    assert answers_on(world, person, reminder) == []  # gone before anyone presses them
    await pressed_out_of_date(world, person, reminder, last, 1)  # an old copy pressed


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("reminded", REMINDED)
async def test_a_reminders_answer_pressed_out_of_date_after_a_restart_takes_its_answers_off_it(
    world: World, database_url: str, language: str, reminded: object
) -> None:
    person = world.lan if language == "en" else world.hoa
    reminder, move_on = await reminded(world, person)  # type: ignore[operator]
    async with restarted(world, database_url):  # a process that never saw the reminder
        await move_on()
        [*_, last] = answers_on(world, person, reminder)
        await pressed_out_of_date(world, person, reminder, last, 1)


HAND_OVER = {"en": "🔁 Hand over", "vi": "🔁 Chuyển giao"}


@pytest.mark.parametrize("restart", [False, True], ids=["same process", "after a restart"])
@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("where", ["timeline", "picker"])
async def test_a_hand_over_pressed_once_the_case_was_cancelled_goes_from_its_message(
    world: World, database_url: str, language: str, restart: bool, where: str
) -> None:
    supervisor = world.minh if language == "en" else await registered_thao(world)
    owner = world.lan if language == "en" else world.hoa
    case_id = await open_case(owner)
    await supervisor.send(f"/case {case_id}")
    timeline = world.api.last_with_buttons(supervisor.chat_id)
    assert timeline is not None
    await supervisor.press(HAND_OVER[language])
    picker = world.api.last_with_buttons(supervisor.chat_id)
    assert picker is not None
    message = timeline if where == "timeline" else picker
    [*_, last] = answers_on(world, supervisor, message)
    drawn = world.api.find_message(supervisor.chat_id, message.message_id)
    assert drawn is not None
    kept = len(drawn.buttons)
    cancel, reason = CANCEL[language]
    if restart:  # a process that never saw the list nor the timeline: they say so when pressed
        async with restarted(world, database_url, supervisor):
            await owner.press(cancel)
            await owner.send(reason)
            await pressed_out_of_date(world, supervisor, message, last, case_id)
    else:  # gone as soon as the case is cancelled
        await owner.press(cancel)
        await owner.send(reason)
        assert answers_on(world, supervisor, message) == []
        await pressed_out_of_date(world, supervisor, message, last, case_id)
    shown = world.api.find_message(supervisor.chat_id, message.message_id)
    assert shown is not None
    if where == "timeline":  # its ▶ Carry on stays: it says how the case ended
        assert 0 < len(shown.buttons) < kept


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_reminder_of_a_follow_up_set_again_for_later_keeps_its_answers_alone(
    world: World, language: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    first, moved = await a_follow_up_moved_later(world, person)
    await moved()
    world.clock.advance(hours=1)
    assert (await world.scheduler.tick()).sent == 1
    second = world.api.last_with_buttons(person.chat_id)
    assert second is not None
    assert second.message_id != first.message_id
    assert answers_on(world, person, first) == []
    [satisfied, *_] = answers_on(world, person, second)
    await person.press_data(satisfied, second.message_id)
    assert (await world.case(1)).state == "closed"
