"""A day written as one but not on the calendar is refused saying why, in both languages,
with days that are and that fit the question: 29/02 typed on 23 November 2026, when neither
this year nor the one on the question's side has one, is answered with a date and its year
(the last leap day for a day gone by; 28/02 or 01/03 next year for one to come), and the
example given is accepted as typed; 29/02/2025 is said to be in a common year; 31/04 is said
to be past the month's end.

Before, each was answered "I could not read that date" with the usual examples (20/11, or
25/11 14:30): the reader had written a date the usual way, and was told nothing of why.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from flows.forms import SINCE
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import case_number, compensate, open_case, walk_to_compensate, walk_to_fix

pytestmark = pytest.mark.asyncio

TODAY = date(2026, 11, 23)  # the clock's day: neither 2025, 2026 nor 2027 has a 29/02
#: What each reader is told of each day typed.
WHY = {
    "lan": {
        "29/2": ("There is no 29/02 in", "neither is a leap year"),
        "29/02/2025": ("There is no 29/02/2025", "2025 is not a leap year"),
        "31/4": ("There is no 31/04", "at most 30 days"),
    },
    "hoa": {
        "29/2": ("không có ngày 29/02", "không phải năm nhuận"),
        "29/02/2025": ("Không có ngày 29/02/2025", "năm 2025 không phải năm nhuận"),
        "31/4": ("Không có ngày 31/04", "tối đa 30 ngày"),
    },
}
NOT_READ = {"lan": "could not read", "hoa": "không đọc được"}
INCIDENT = {
    "lan": ("🚩 Log an incident", "Abuse of staff"),
    "hoa": ("🚩 Ghi nhận sự việc", "Xúc phạm nhân viên"),
}
DAY = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def days_offered(text: str, typed: str) -> list[date]:
    """The days a refusal offers instead of the one typed (which it may say again)."""
    found = DAY.findall(text.replace(typed, ""))
    return [date(int(y), int(m), int(d)) for d, m, y in found]


async def refused_saying_why(person: Person, who: str, typed: str) -> list[date]:
    """Type `typed` where a day is asked; check why it is refused; return the days offered."""
    await person.send(typed)
    told = person.last_text
    assert all(why in told for why in WHY[who][typed]), told
    assert NOT_READ[who] not in told, told
    return days_offered(told, typed)


async def at_the_incidents_day(person: Person, who: str) -> int:
    case_id = await open_case(person)
    await walk_to_fix(person)
    incident, kind = INCIDENT[who]
    await person.press(incident)
    await person.press(kind)
    return case_id


@pytest.mark.parametrize("who", list(WHY))
@pytest.mark.parametrize("typed", list(WHY["lan"]))
async def test_an_incidents_day_not_on_the_calendar_is_refused_saying_why(
    world: World, who: str, typed: str
) -> None:
    person = getattr(world, who)
    case_id = await at_the_incidents_day(person, who)
    offered = await refused_saying_why(person, who, typed)
    assert all(day <= TODAY for day in offered), offered  # days gone by, for a day gone by
    assert "incident_date" not in (await world.case(case_id)).draft
    if offered:
        await person.send(f"{offered[0]:%d/%m/%Y}")
        assert (await world.case(case_id)).draft["incident_date"] == offered[0].isoformat()


@pytest.mark.parametrize("who", list(WHY))
async def test_a_leap_day_gone_by_is_offered_for_a_customers_start(world: World, who: str) -> None:
    person = getattr(world, who)
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send("Nguyễn Thị Hương")
    await person.press("New customer" if who == "lan" else "Khách hàng mới")
    await person.send("Nguyễn Thị Hương")
    await person.send("0903 123 456")
    await person.press("Individual" if who == "lan" else "Cá nhân")
    offered = await refused_saying_why(person, who, "29/2")
    assert offered == [date(2024, 2, 29), date(2026, 2, 28)]
    await person.send("29/02/2024")
    assert (await world.case(case_id)).draft[SINCE] == "2024-02-29"


@pytest.mark.parametrize("who", list(WHY))
@pytest.mark.parametrize("typed", ["29/2", "31/4"])
async def test_a_follow_up_on_a_day_not_on_the_calendar_is_refused_saying_why(
    world: World, who: str, typed: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    offered = await refused_saying_why(person, who, typed)
    assert all(TODAY < day <= date(2027, 11, 24) for day in offered), offered  # within a year
    assert (await world.case(case_id)).state == "follow_up"
    if offered:
        await person.send(f"{offered[0]:%d/%m/%Y}")
        case = await world.case(case_id)
        assert case.state == "awaiting_follow_up"
        assert case.follow_up_due_at is not None  # on that day, or the working day after
        assert 0 <= (case.follow_up_due_at.date() - offered[0]).days <= 2
