"""A follow-up agreed with the customer and typed as staff write it — "tuần sau", "9h
đêm", "thứ hai tuần sau 10h", "ngày 2 tháng sau", "cuối tháng 12", "30 phút nữa", "next
week", "9pm tonight", "next Monday 10am", "the 3rd at 10am", "in half an hour" — is booked
as meant, never asked again with examples; where the words leave the day open, the day
picked is said; a part of the day without its hour asks for the hour, the case unchanged.
In both languages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import compensate, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
WHO = {"en": "lan", "vi": "hoa"}
#: Typed on Monday 23/11/2026 at 09:00, the follow-up it books, and the default said.
TYPED = {
    "vi": [
        ("tuần sau", datetime(2026, 11, 30, 9, 0, tzinfo=SAIGON), "next_week"),
        ("thứ hai tuần sau 10h", datetime(2026, 11, 30, 10, 0, tzinfo=SAIGON), None),
        ("9h đêm", datetime(2026, 11, 24, 8, 0, tzinfo=SAIGON), None),  # after hours: moved
        ("3 giờ chiều", datetime(2026, 11, 23, 15, 0, tzinfo=SAIGON), None),
        ("next Fri 10h", datetime(2026, 12, 4, 10, 0, tzinfo=SAIGON), "next_weekday"),
        # a day of the month, minutes from now, a weekday with its date, a span: before,
        # "ngày 2 tháng sau" was booked on 1 December at 14:00, the others asked again
        ("ngày 2 tháng sau", datetime(2026, 12, 2, 9, 0, tzinfo=SAIGON), None),
        ("ngày 3", datetime(2026, 12, 3, 9, 0, tzinfo=SAIGON), "month_day"),
        ("cuối tháng 12", datetime(2026, 12, 31, 9, 0, tzinfo=SAIGON), "month_end"),
        ("30 phút nữa", datetime(2026, 11, 23, 9, 30, tzinfo=SAIGON), None),
        ("thứ 5 26/11 10h", datetime(2026, 11, 26, 10, 0, tzinfo=SAIGON), None),
        ("cuối năm", datetime(2026, 12, 31, 9, 0, tzinfo=SAIGON), "year_end"),
    ],
    "en": [
        ("next week", datetime(2026, 11, 30, 9, 0, tzinfo=SAIGON), "next_week"),
        ("next Monday 10am", datetime(2026, 11, 30, 10, 0, tzinfo=SAIGON), None),
        ("9pm tonight", datetime(2026, 11, 24, 8, 0, tzinfo=SAIGON), None),  # moved
        ("Dec 30", datetime(2026, 12, 30, 9, 0, tzinfo=SAIGON), None),
        # this week's Friday is still to come: next week's is taken, and said
        ("next Friday 10am", datetime(2026, 12, 4, 10, 0, tzinfo=SAIGON), "next_weekday"),
        ("the 3rd at 10am", datetime(2026, 12, 3, 10, 0, tzinfo=SAIGON), "month_day"),
        ("in half an hour", datetime(2026, 11, 23, 9, 30, tzinfo=SAIGON), None),
        ("Fri, 27/11 at 10am", datetime(2026, 11, 27, 10, 0, tzinfo=SAIGON), None),
        ("week after next", datetime(2026, 12, 7, 9, 0, tzinfo=SAIGON), "week_after_next"),
        ("end of December", datetime(2026, 12, 31, 9, 0, tzinfo=SAIGON), "month_end"),
    ],
}


async def at_the_follow_up_question(world: World, locale: str) -> tuple[Person, int]:
    person: Person = getattr(world, WHO[locale])
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    return person, case_id


@pytest.mark.parametrize(
    ("locale", "typed", "booked", "default"),
    [(locale, *said) for locale, typed in TYPED.items() for said in typed],
)
async def test_a_follow_up_typed_as_staff_write_it_is_booked_as_meant(
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


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_part_of_the_day_without_its_hour_asks_for_the_hour(
    world: World, locale: str
) -> None:
    person, case_id = await at_the_follow_up_question(world, locale)
    typed = {"vi": "chiều mai", "en": "tomorrow afternoon"}[locale]
    await person.send(typed)
    asked = words(person, "error.part_needs_time", example=f"{typed} 15:00")
    assert asked in "\n".join(m.plain_text for m in person.messages[-3:])
    assert (await world.case(case_id)).follow_up_due_at is None
    await person.send(f"{typed} 15:00")  # the example given is read
    assert (await world.case(case_id)).follow_up_due_at == datetime(
        2026, 11, 24, 15, 0, tzinfo=SAIGON
    )
