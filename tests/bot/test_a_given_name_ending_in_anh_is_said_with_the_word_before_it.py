"""A Vietnamese full name whose last word is "Anh" is said with the word before it, as people
are called: "Nguyễn Tuấn Anh" is "anh Tuấn Anh", "Vũ Thị Lan Anh" "chị Lan Anh" (in English
"Mr Tuấn Anh", "Ms Lan Anh"). Before, the scripts took the last word alone and greeted him
"Dạ, em chào anh Anh" — the title said twice, to the ear. The middle word of a man's or a
woman's name is no part of it ("Trần Thị Anh" is "chị Anh"). Typed for a new customer, as
on "How to address", in either language."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_title_typed_as_staff_say_it_is_read_as_a_title_never_as_the_name import (
    address_as,
)
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

#: A new customer's name typed with a title; the greeting of step 1 in English (Lan) and in
#: Vietnamese (Hòa).
GREETED = [
    ("anh Nguyễn Tuấn Anh", "Hello Mr Tuấn Anh.", "Dạ, em chào anh Tuấn Anh."),
    ("chị Vũ Thị Lan Anh", "Hello Ms Lan Anh.", "Dạ, em chào chị Lan Anh."),
    ("anh Nguyen Duc Anh", "Hello Mr Duc Anh.", "Dạ, em chào anh Duc Anh."),
    ("chị Trần Thị Anh", "Hello Ms Anh.", "Dạ, em chào chị Anh."),
]


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize(("typed", "en", "vi"), GREETED)
async def test_a_new_customer_called_anh_is_greeted_by_the_name_people_call_them(
    world: World, who: str, typed: str, en: str, vi: str
) -> None:
    person = getattr(world, who)
    await open_case(person, typed)
    assert (en if who == "lan" else vi) in person.last_text, person.last_text


@pytest.mark.parametrize(
    ("who", "said"), [("lan", "Address as: Mr Đức Anh"), ("hoa", "Xưng hô: anh Đức Anh")]
)
async def test_a_full_name_typed_as_the_form_of_address_keeps_both_words(
    world: World, who: str, said: str
) -> None:
    await add_customer(world, "Nguyễn Thị Mai")
    record = (await address_as(world, who, "anh Bùi Đức Anh"))[-1]
    assert said in record.splitlines(), record
