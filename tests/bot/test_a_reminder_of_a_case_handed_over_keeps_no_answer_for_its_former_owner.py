"""A follow-up's or a promised fix's reminder, sent to the case's owner, kept its answers
(😊 Satisfied, ✅ Done…) once a supervisor handed the case to someone else: the former
owner's card lost its buttons, but the reminder below it still looked as if it waited for
them, and only a press said it no longer did. Its answers now go as soon as the case changes
hands, as they go once the reminder no longer matters; ▶ Open and the timeline stay.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_supervisor_hands_a_case_over import hand_over
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up, promised_fix
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio


async def test_a_follow_up_reminder_loses_its_answers_once_its_case_is_handed_over(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    reminder = world.api.last_with_buttons(world.lan.chat_id)
    assert reminder is not None
    assert "😊 Satisfied" in reminder.button_labels
    await hand_over(world.minh, case_id, "👤 Hòa")
    assert reminder.button_labels == ["📂 Open case", "🕓 See the timeline"]


async def test_a_promised_fix_reminder_loses_its_answers_once_its_case_is_handed_over(
    world: World,
) -> None:
    case_id = await promised_fix(world.hoa)
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    reminder = world.api.last_with_buttons(world.hoa.chat_id)
    assert reminder is not None
    assert words(world.hoa, "button.fix.done") in reminder.button_labels
    await hand_over(world.minh, case_id, "👤 Lan")
    assert reminder.button_labels == [
        words(world.hoa, "button.open_case"),
        words(world.hoa, "button.timeline"),
    ]


async def test_a_supervisors_reminder_keeps_its_answers_when_the_case_is_handed_on(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # Lan's follow-up, due now, handed to the supervisor
    await world.scheduler.tick()
    reminder = world.api.last_with_buttons(world.minh.chat_id)
    assert reminder is not None
    assert "😊 Satisfied" in reminder.button_labels
    await hand_over(world.minh, case_id, "👤 Hòa")
    assert "😊 Satisfied" in reminder.button_labels  # a supervisor may still answer it
