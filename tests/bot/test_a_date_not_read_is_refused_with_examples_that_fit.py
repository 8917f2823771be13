"""A date that cannot be read is refused with examples that fit the question: a customer's
start with a day, a month or a year; an incident's day with days gone by.

Before, both were told to write "25/11 14:30, tomorrow 9:00 or Monday 14:30": times to come
for a question about the past, and no month or year for a start that may be either.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

#: Each reader's buttons and the examples they must (and must not) be given.
WORDS = {
    "lan": {
        "new": "New customer",
        "individual": "Individual",
        "incident": "🚩 Log an incident",
        "kind": "Abuse of staff",
        "since": ("3/2021", "2019"),
        "past": ("20/11",),
        "future": ("tomorrow", "14:30"),
    },
    "hoa": {
        "new": "Khách hàng mới",
        "individual": "Cá nhân",
        "incident": "🚩 Ghi nhận sự việc",
        "kind": "Xúc phạm nhân viên",
        "since": ("3/2021", "2019"),
        "past": ("20/11",),
        "future": ("mai 9h", "14:30"),
    },
}
UNREADABLE = ("tháng 13/2019", "Marc 2019", "45/4/2020", "0/2019")


@pytest.mark.parametrize("who", list(WORDS))
@pytest.mark.parametrize("typed", UNREADABLE)
async def test_a_customers_start_not_read_is_refused_with_a_day_a_month_and_a_year(
    world: World, who: str, typed: str
) -> None:
    person = getattr(world, who)
    words = WORDS[who]
    await person.send("/new")
    await person.send("Nguyễn Thị Hương")
    await person.press(words["new"])
    await person.send("Nguyễn Thị Hương")
    await person.send("0903 123 456")
    await person.press(words["individual"])
    await person.send(typed)
    told = person.last_text
    assert all(example in told for example in words["since"]), told
    assert not any(example in told for example in words["future"]), told
    assert await world.count("customers") == 0


@pytest.mark.parametrize("who", list(WORDS))
@pytest.mark.parametrize("typed", UNREADABLE)
async def test_an_incidents_day_not_read_is_refused_with_days_gone_by(
    world: World, who: str, typed: str
) -> None:
    person = getattr(world, who)
    words = WORDS[who]
    await open_case(person)
    await walk_to_fix(person)
    await person.press(words["incident"])
    await person.press(words["kind"])
    await person.send(typed)
    told = person.last_text
    assert all(example in told for example in words["past"]), told
    assert not any(example in told for example in words["future"]), told
    assert await world.count("incidents") == 0
