"""A follow-up typed as a weekday with a date that is another day ("thứ 2 27/11", "Monday
27/11") is refused naming both weekdays and offering both days to type again, the case
unchanged; either day offered is then booked as typed. In both languages. Before, it was
asked again as no date at all. (Days of the month, minutes from now and a weekday with its
own date are booked as meant: the table in
`test_a_day_or_a_time_typed_as_staff_write_it_books_what_they_meant.py`.)"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_day_or_a_time_typed_as_staff_write_it_books_what_they_meant import (
    at_the_follow_up_question,
)

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
#: A weekday and a date that are two days: the weekdays named, and the two days offered.
TWO_DAYS = [
    ("vi", "thứ 2 27/11", ("thứ Sáu", "thứ Hai"), ("27/11", "30/11")),
    ("en", "Monday 27/11", ("Friday", "Monday"), ("27/11", "30/11")),
]


@pytest.mark.parametrize(("locale", "typed", "weekdays", "offered"), TWO_DAYS)
async def test_a_weekday_and_a_date_that_are_two_days_are_refused_and_either_offered_books(
    world: World,
    locale: str,
    typed: str,
    weekdays: tuple[str, str],
    offered: tuple[str, str],
) -> None:
    person, case_id = await at_the_follow_up_question(world, locale)
    await person.send(typed)
    refused = person.messages[-1].plain_text
    assert all(f" {name}" in refused for name in weekdays)
    assert all(f"“{day}”" in refused for day in offered)
    assert (await world.case(case_id)).follow_up_due_at is None
    await person.send(offered[1])
    assert (await world.case(case_id)).follow_up_due_at == datetime(
        2026, 11, 30, 9, 0, tzinfo=SAIGON
    )
