"""While a supervisor's decision waits (compensation above the limit, a goodwill offer made
in a termination), the words staff read promise to call the customer back by the time the
bot reminds the supervisors if they have not decided: `approval_reminder_hours` after the
request, moved into working hours — never "today" when the reminder comes tomorrow.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import approved_termination, offer_goodwill
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

#: Asked at 18:00 on a Monday: 4 hours later the office is closed, so 8:00 on Tuesday.
PROMISED = {
    "en": "and no later than 8:00 tomorrow.",
    "vi": "chậm nhất là 8:00 ngày mai ạ.",
}
#: Asked at 09:00 on a Saturday: 13:00 the same day.
SAME_DAY = {"en": "no later than 13:00 today", "vi": "chậm nhất là 13:00 hôm nay"}
#: Asked at 18:00 on a Saturday: Sunday is closed, so 8:00 on Monday.
MONDAY = {
    "en": "no later than 8:00 on 30 November 2026.",
    "vi": "chậm nhất là 8:00 ngày 30/11/2026 ạ.",
}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_compensation_asked_late_in_the_day_promises_a_call_back_tomorrow(
    world: World, language: str
) -> None:
    staff = world.lan if language == "en" else world.hoa
    world.clock.advance(hours=9)  # Monday 18:00
    await asking_approval(staff, "2tr")
    assert PROMISED[language] in staff.last_text, staff.last_text
    assert "today" not in staff.last_text.split("What you could say:")[-1]
    assert "hôm nay" not in staff.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_compensation_asked_in_the_morning_promises_a_call_back_the_same_day(
    world: World, language: str
) -> None:
    staff = world.lan if language == "en" else world.hoa
    world.clock.advance(days=5)  # Saturday 09:00
    await asking_approval(staff, "2tr")
    assert SAME_DAY[language] in staff.last_text, staff.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_goodwill_offer_asked_before_a_sunday_promises_a_call_back_on_monday(
    world: World, language: str
) -> None:
    staff, supervisor = await staff_and_supervisor(world, language)
    await approved_termination(world, staff=staff, supervisor=supervisor)
    world.clock.advance(days=5, hours=9)  # Saturday 18:00: Sunday is closed
    await offer_goodwill(staff, "2tr")
    assert MONDAY[language] in staff.last_text, staff.last_text
