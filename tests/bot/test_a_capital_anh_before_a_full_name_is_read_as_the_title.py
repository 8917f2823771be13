"""A capital "Anh" or "Ông" before a customer's full name, as a phone's keyboard
writes the first word of a message ("Anh Trần Văn Hùng"), is the title, not part of the
name: the customer is recorded as Trần Văn Hùng and every script calls him "anh Hùng"
("Mr Hùng"), as it would with "anh" typed in lower case. Before, the capital made it part
of the name: the record read "Anh Trần Văn Hùng", the scripts "anh/chị Hùng" — and typed
without marks ("Anh Tran Van Hung") the name was read in Western order, so the scripts
greeted him as "anh/chị Anh". A name that only starts like a title ("Anh Thư", "Ông Văn
Tùng": no family name follows) stays a name. In either language, for a new customer's name
as on "How to address"."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_title_typed_as_staff_say_it_is_read_as_a_title_never_as_the_name import (
    address_as,
)
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

#: A new customer's name as typed; the name on the record; the greeting of step 1, in
#: English (Lan) and Vietnamese (Hòa).
NEW = [
    ("Anh Trần Văn Hùng", "Trần Văn Hùng", "Hello Mr Hùng.", "Dạ, em chào anh Hùng."),
    ("Anh Tran Van Hung", "Tran Van Hung", "Hello Mr Hung.", "Dạ, em chào anh Hung."),
    ("Ông Lê Văn Tám", "Lê Văn Tám", "Hello Mr Tám.", "Dạ, em chào anh Tám."),
    ("Anh Thư", "Anh Thư", "Hello Thư.", "Dạ, em chào anh/chị Thư."),
]


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize(("typed", "recorded", "en", "vi"), NEW)
async def test_a_new_customers_capital_title_is_read_as_the_title(
    world: World, who: str, typed: str, recorded: str, en: str, vi: str
) -> None:
    person = getattr(world, who)
    english = who == "lan"
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send(typed)
    await person.press("➕ New customer" if english else "➕ Khách hàng mới")
    await person.send(typed)
    await person.send("0903 123 456")
    await person.press("Individual" if english else "Cá nhân")
    await person.send("2019")
    await person.send("3tr")
    await person.send("Giao hàng trễ 3 ngày")
    await person.press("Delay" if english else "Chậm trễ")
    await person.press("High" if english else "Nặng")
    card = person.last_text
    assert f"#{case_id} · {recorded} · " in card, card
    assert (en if english else vi) in card, card


#: Typed as the form of address of Nguyễn Thị Mai, and the line her record then shows.
ADDRESSED = [
    ("Anh Nguyễn Văn Nam", "Address as: Mr Nam", "Xưng hô: anh Nam"),
    ("Ông Trần Văn Ba", "Address as: Mr Ba", "Xưng hô: anh Ba"),
    ("Anh Thư", "Address as: Anh Thư", "Xưng hô: anh/chị Anh Thư"),
]


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize(("typed", "en", "vi"), ADDRESSED)
async def test_a_capital_title_typed_as_the_form_of_address_is_read_as_the_title(
    world: World, who: str, typed: str, en: str, vi: str
) -> None:
    await add_customer(world, "Nguyễn Thị Mai")
    record = (await address_as(world, who, typed))[-1]
    assert (en if who == "lan" else vi) in record.splitlines(), record
