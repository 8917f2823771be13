"""A follow-up that never reached its owner (they had blocked the bot) goes with the case.

Telegram refused the reminder, the supervisors were told, and one of them takes the case
over: the follow-up is the case's work, so its reminder reaches whoever has the case now, at
once, in their language, and its buttons answer it. The former owner, back later, is not
sent the reminder of a case that is no longer theirs, nor are the supervisors given a copy.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.procedures.complaint import Step
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_supervisor_hands_a_case_over import TAKE_IT, hand_over
from tests.bot.test_reminders import case_waiting_for_follow_up

pytestmark = pytest.mark.asyncio

TUESDAY_9AM = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # the follow-up agreed for "Tomorrow"

TIME_TO_FOLLOW_UP = {"en": "Time to follow up", "vi": "Đến giờ theo dõi"}
SATISFIED = {"en": "😊 Satisfied", "vi": "😊 Hài lòng"}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_follow_up_refused_by_telegram_reaches_whoever_takes_the_case_over(
    world: World, language: str
) -> None:
    staff, supervisor = await staff_and_supervisor(world, language)
    case_id = await case_waiting_for_follow_up(staff)
    world.clock.now = TUESDAY_9AM
    world.api.fail_next("sendMessage", "forbidden")  # the owner had blocked the bot
    assert (await world.scheduler.tick()).failed == 1

    await hand_over(supervisor, case_id, TAKE_IT[language])
    world.clock.advance(minutes=1)
    await world.scheduler.tick()
    [reminder] = reminded(supervisor, language)
    assert f"#{case_id}" in reminder.plain_text
    await supervisor.press(SATISFIED[language], reminder)
    assert (await world.case(case_id)).state == Step.closed

    await staff.send("/cases")  # the former owner is back
    world.clock.advance(minutes=1)
    await world.scheduler.tick()
    assert reminded(staff, language) == []
    assert len(reminded(supervisor, language)) == 1


def reminded(person: Person, language: str) -> list[SentMessage]:
    """The follow-up reminders in the person's chat."""
    return [m for m in person.messages if TIME_TO_FOLLOW_UP[language] in m.plain_text]
