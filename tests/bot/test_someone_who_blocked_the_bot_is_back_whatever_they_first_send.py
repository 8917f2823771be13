"""Someone who blocked the bot is back as soon as they write to it, whatever they write.

A follow-up Telegram refused to deliver (they had blocked the bot) is sent to them again once
they write; so is everything else that waits for them (their digest). What they first send may
well be refused — a command for supervisors, a case that is not theirs, an invite link opened
again — but writing at all says they are back, and that is kept even when their message is not.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_people_lifecycle import staff_row
from tests.bot.test_reminders import case_waiting_for_follow_up, reminder_texts

pytestmark = pytest.mark.asyncio

TUESDAY_9AM = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # the follow-up agreed for "Tomorrow"

TIME_TO_FOLLOW_UP = {"en": "Time to follow up", "vi": "Đến giờ theo dõi"}
REFUSED = {
    "/approvals": {"en": "Only supervisors can do that.", "vi": "Chỉ quản lý mới làm được"},
    "/case 999": {"en": "There is no case #999", "vi": "Không tìm thấy hồ sơ #999"},
    "/start 0pened-again": {"en": "already registered", "vi": "đã được đăng ký"},
}


@pytest.mark.parametrize("first", list(REFUSED))
@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_follow_up_refused_by_telegram_comes_back_once_they_write_even_a_refused_message(
    world: World, language: str, first: str
) -> None:
    staff, _ = await staff_and_supervisor(world, language)
    await case_waiting_for_follow_up(staff)
    world.clock.now = TUESDAY_9AM
    world.api.fail_next("sendMessage", "forbidden")  # they had blocked the bot
    assert (await world.scheduler.tick()).failed == 1
    assert (await staff_row(world, staff)).unreachable

    before = len(staff.messages)
    await staff.send(first)  # back, but asking for what they may not have
    assert REFUSED[first][language] in "\n".join(m.plain_text for m in staff.messages[before:])

    assert not (await staff_row(world, staff)).unreachable
    world.clock.advance(minutes=1)
    await world.scheduler.tick()
    assert len(reminder_texts(staff, TIME_TO_FOLLOW_UP[language])) == 1
