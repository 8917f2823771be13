"""A follow-up typed as "nửa đêm mai" or "midnight tomorrow" is the night at the end of
tomorrow, and "0h mai" or "12am tomorrow" the start of tomorrow: each is said back naming
that night and how to type the other one (then moved into working hours, and said so), in
both languages; "3 rưỡi chiều" books 15:30. Before, the first was said back as "the very
start of the next day" without naming the night, "0h mai" was booked without a word, and
"3 rưỡi chiều" was refused as no time at all; "mai 3h" booked 03:00 (moved to the next
morning), where a caller means 15:00, and "thứ 2 tới 10h" (next Monday) was read as evening."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_day_or_a_time_typed_as_staff_write_it_books_what_they_meant import (
    at_the_follow_up_question,
)
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
#: Typed on Monday 23/11/2026 at 09:00, the eve of the night said back, the other night
#: offered, and the follow-up booked (the night itself is outside working hours: moved).
AT_8 = {"24/11": datetime(2026, 11, 24, 8, 0, tzinfo=SAIGON)}
AT_8["25/11"] = datetime(2026, 11, 25, 8, 0, tzinfo=SAIGON)
NIGHTS = [
    ("vi", "nửa đêm mai", "24/11/2026", "“0h 24/11”", AT_8["25/11"]),
    ("en", "midnight tomorrow", "2026-11-24", "“0:00 24/11”", AT_8["25/11"]),
    ("vi", "0h mai", "23/11/2026", "“nửa đêm 24/11”", AT_8["24/11"]),
    ("en", "12am tomorrow", "2026-11-23", "“midnight 24/11”", AT_8["24/11"]),
]


@pytest.mark.parametrize(("locale", "typed", "eve", "other", "booked"), NIGHTS)
async def test_a_midnight_typed_is_said_back_naming_its_night_and_the_other(
    world: World, locale: str, typed: str, eve: str, other: str, booked: datetime
) -> None:
    person, case_id = await at_the_follow_up_question(world, locale)
    await person.send(typed)
    said = "\n".join(m.plain_text for m in person.messages[-4:])
    assert words(person, "error.bad_date") not in said
    assert f"“{typed}”" in said
    assert eve in said
    assert other in said
    assert (await world.case(case_id)).follow_up_due_at == booked


@pytest.mark.parametrize(("locale", "typed"), [("vi", "3 rưỡi chiều"), ("en", "3:30pm")])
async def test_half_past_said_as_people_say_it_books_the_half_hour(
    world: World, locale: str, typed: str
) -> None:
    person, case_id = await at_the_follow_up_question(world, locale)
    await person.send(typed)
    booked = datetime(2026, 11, 23, 15, 30, tzinfo=SAIGON)
    assert (await world.case(case_id)).follow_up_due_at == booked


#: A bare hour of the night with a day to come is the afternoon's, said back; "tới" after a
#: weekday is next week's, never the evening ("tối").
AFTERNOONS = [
    ("vi", "mai 3h", datetime(2026, 11, 24, 15, 0, tzinfo=SAIGON), "“mai 3h sáng”"),
    ("en", "tomorrow at 3", datetime(2026, 11, 24, 15, 0, tzinfo=SAIGON), "“tomorrow at 3 am”"),
    ("vi", "thứ 2 tới 10h", datetime(2026, 11, 30, 10, 0, tzinfo=SAIGON), None),
]


@pytest.mark.parametrize(("locale", "typed", "booked", "night"), AFTERNOONS)
async def test_a_bare_hour_of_the_night_on_a_day_to_come_books_the_afternoon_and_says_so(
    world: World, locale: str, typed: str, booked: datetime, night: str | None
) -> None:
    person, case_id = await at_the_follow_up_question(world, locale)
    await person.send(typed)
    assert (await world.case(case_id)).follow_up_due_at == booked
    if night is not None:
        assert night in "\n".join(m.plain_text for m in person.messages[-4:])
