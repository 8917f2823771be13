"""A follow-up typed as a day of the month ("ngày 2 tháng sau", "ngày 3"), minutes from now
("30 phút nữa", "in half an hour"), a weekday with its date ("thứ 5 26/11 10h") or a span
("cuối năm") is booked as meant, in both languages, the day picked said where the words
leave it open. Before, "ngày 2 tháng sau" was booked on 1 December at 14:00 and the others
were asked again with examples. A weekday and a date that are two days ("thứ 2 27/11") are
refused naming both, the case unchanged, and either day offered is then booked as typed."""

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
#: Typed on Monday 23/11/2026 at 09:00, the follow-up it books, and the default said.
TYPED = [
    ("vi", "ngày 2 tháng sau", datetime(2026, 12, 2, 9, 0, tzinfo=SAIGON), None),
    ("vi", "ngày 3", datetime(2026, 12, 3, 9, 0, tzinfo=SAIGON), "month_day"),
    ("en", "the 3rd at 10am", datetime(2026, 12, 3, 10, 0, tzinfo=SAIGON), "month_day"),
    ("vi", "30 phút nữa", datetime(2026, 11, 23, 9, 30, tzinfo=SAIGON), None),
    ("en", "in half an hour", datetime(2026, 11, 23, 9, 30, tzinfo=SAIGON), None),
    ("vi", "thứ 5 26/11 10h", datetime(2026, 11, 26, 10, 0, tzinfo=SAIGON), None),
    ("en", "Fri, 27/11 at 10am", datetime(2026, 11, 27, 10, 0, tzinfo=SAIGON), None),
    ("vi", "cuối năm", datetime(2026, 12, 31, 9, 0, tzinfo=SAIGON), "year_end"),
    ("en", "week after next", datetime(2026, 12, 7, 9, 0, tzinfo=SAIGON), "week_after_next"),
]


@pytest.mark.parametrize(("locale", "typed", "booked", "default"), TYPED)
async def test_a_follow_up_typed_so_is_booked_as_meant_and_the_day_picked_said(
    world: World, locale: str, typed: str, booked: datetime, default: str | None
) -> None:
    person, case_id = await at_the_follow_up_question(world, locale)
    await person.send(typed)
    said = "\n".join(m.plain_text for m in person.messages[-4:])
    assert words(person, "error.bad_date") not in said
    assert (await world.case(case_id)).follow_up_due_at == booked
    if default is not None:
        told = words(person, f"time.read_as.{default}", typed=typed, when="WHEN")
        assert told.split("WHEN")[0] in said


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
