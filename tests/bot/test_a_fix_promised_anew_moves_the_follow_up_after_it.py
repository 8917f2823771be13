"""A fix promised anew from its reminder moves a follow-up booked before the new time after
it, saying so: the follow-up asks the customer whether the fix worked.

Before, "⏳ Tomorrow" on the reminder of a fix promised for Tuesday 10:00 moved the fix to
Wednesday 09:00 and left the follow-up booked for Tuesday 14:00, a day before the fix, its
reminder with it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_follow_up_comes_after_the_fix import at_the_follow_up_with_a_fix_promised
from tests.bot.walk import label

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
#: Each reader's typing: the fix's time and the follow-up's; and what they are told.
WORDS = {
    "lan": (
        "tomorrow 10:00",
        "tomorrow 14:00",
        "so I booked it after the fix: 2026-11-25 11:00. If you told the customer "
        "2026-11-24 14:00, tell them the new time.",
    ),
    "hoa": (
        "mai 10h",
        "mai 14h",
        "nên tôi đặt lịch sau giờ đó: 25/11/2026 11:00. Nếu bạn đã hẹn khách lúc "
        "24/11/2026 14:00, hãy báo khách giờ mới.",
    ),
}


@pytest.mark.parametrize("who", list(WORDS))
async def test_a_fix_put_off_past_the_follow_up_moves_the_follow_up_after_it(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    fix, follow_up, told = WORDS[who]
    case_id = await at_the_follow_up_with_a_fix_promised(person, fix)
    await person.send(follow_up)
    world.clock.now = datetime(2026, 11, 24, 10, 5, tzinfo=SAIGON).astimezone(UTC)
    assert (await world.scheduler.tick()).sent == 1  # the fix's reminder
    await person.press(label(person, "Tomorrow"))  # the fix: Wednesday 09:00
    case = await world.case(case_id)
    assert case.promised_fix_at == datetime(2026, 11, 25, 9, 0, tzinfo=SAIGON)
    assert case.follow_up_due_at == datetime(2026, 11, 25, 11, 0, tzinfo=SAIGON)
    assert told in person.last_text
    world.clock.now = datetime(2026, 11, 24, 14, 5, tzinfo=SAIGON).astimezone(UTC)
    assert (await world.scheduler.tick()).sent == 0  # not the follow-up booked before
    world.clock.now = datetime(2026, 11, 25, 11, 5, tzinfo=SAIGON).astimezone(UTC)
    report = await world.scheduler.tick()
    assert report.sent == 2  # the fix's reminder, then the follow-up's
    assert f"#{case_id}" in person.last_text
