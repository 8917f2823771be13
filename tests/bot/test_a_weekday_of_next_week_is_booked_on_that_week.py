"""Staff agree a follow-up "thứ Sáu tuần sau" — Friday next week, not the Friday to come —
and type it so, in either language: the follow-up is booked on that week's day, at the hour
said, never refused as unreadable. A weekday said alone stays the next one to come."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import compensate, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
WHO = {"en": "lan", "vi": "hoa"}
#: Typed on Monday 23 November 2026 (the tests' clock), and the moment each one means.
TYPED = {
    "vi": [
        ("thứ 6 tuần sau 14h", datetime(2026, 12, 4, 14, 0, tzinfo=SAIGON)),
        ("Thứ Hai tuần tới lúc 3h chiều", datetime(2026, 11, 30, 15, 0, tzinfo=SAIGON)),
        ("thứ 6 14h", datetime(2026, 11, 27, 14, 0, tzinfo=SAIGON)),
    ],
    "en": [
        ("Friday next week 2pm", datetime(2026, 12, 4, 14, 0, tzinfo=SAIGON)),
        ("Monday next week at 15:00", datetime(2026, 11, 30, 15, 0, tzinfo=SAIGON)),
        ("Friday 14:00", datetime(2026, 11, 27, 14, 0, tzinfo=SAIGON)),
    ],
}


@pytest.mark.parametrize(
    ("locale", "typed", "booked"),
    [(locale, typed, booked) for locale, said in TYPED.items() for typed, booked in said],
)
async def test_a_follow_up_typed_as_a_weekday_of_next_week_is_booked_on_that_day(
    world: World, locale: str, typed: str, booked: datetime
) -> None:
    person: Person = getattr(world, WHO[locale])
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    await person.send(typed)
    assert words(person, "error.bad_date") not in person.last_text
    assert (await world.case(case_id)).follow_up_due_at == booked
