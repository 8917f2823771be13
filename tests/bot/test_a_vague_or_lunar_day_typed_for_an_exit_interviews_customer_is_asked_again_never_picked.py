"""Adding a customer in an exit interview, when they started said as words that name no one
day ("mấy năm rồi", "hôm trước": the other day) or by Tết ("sau Tết") is asked again,
quoting the words and saying the exact forms wanted (a year, a month or how long; the solar
day): nothing is kept until one is typed. Before, "hôm trước" was kept as yesterday, and
the others got the same "could not read" as a typo.
"""

from __future__ import annotations

import pytest

from flows.forms import SINCE
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_customer_paths import start_new_customer
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("may nam roi", "error.vague_since"),
        ("hôm trước", "error.vague_since"),
        ("SAU TET", "error.lunar_day"),
        ("khach tu hoi tet 2020", "error.lunar_day"),  # a sentence: quoted as the answer
    ],
)
async def test_a_customers_start_said_vaguely_or_by_tet_is_asked_again_saying_how(
    world: World, who: str, typed: str, why: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await start_new_customer(person, "/exit", "Trần Thị Mai", "0912 000 111")
    await person.press("Cá nhân" if who == "hoa" else "Individual")
    await person.send(typed)
    assert words(person, why, typed=typed) in person.last_text
    assert SINCE not in (await world.case(case_id)).draft
    await person.send("5 năm" if who == "hoa" else "5 years")
    assert (await world.case(case_id)).draft[SINCE] == "2021"
