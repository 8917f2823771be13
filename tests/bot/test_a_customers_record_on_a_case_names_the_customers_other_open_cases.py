"""The customer's record drawn on a case's card leaves that case out of the open ones, and
says so: "No other open cases" / "Không có hồ sơ nào khác đang mở", "Other open cases: #7" /
"Hồ sơ khác đang mở: #7" — never "No open cases" on the card of an open case, as it said
before. The record read with /customer, on no case, says "No open cases" as it did."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

NAME = "Trần Văn Bảy"
SAID = {
    "lan": ("No other open cases", "Other open cases: #{case}", "No open cases"),
    "hoa": (
        "Không có hồ sơ nào khác đang mở",
        "Hồ sơ khác đang mở: #{case}",
        "Không có hồ sơ nào đang mở",
    ),
}


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_record_on_a_case_names_the_other_open_cases_and_never_none_open(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    none_other, others, none_open = SAID[who]
    await add_customer(world, NAME)
    review = await open_review(person, NAME)
    assert none_other in person.last_text
    assert none_open not in person.last_text
    await person.send(f"/customer {NAME}")
    assert none_open not in person.last_text  # the review is open, and listed
    complaint = await open_case(person, NAME, existing=True)  # a second open case
    await person.send(f"/case {review}")
    await person.press(words(person, "button.carry_on"))  # the review's card, drawn again
    assert others.format(case=complaint) in person.last_text
