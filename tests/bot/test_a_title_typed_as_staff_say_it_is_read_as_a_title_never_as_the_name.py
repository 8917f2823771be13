"""A title typed before a customer's name is read as a title, never kept as part of the
name a script calls them by: typed with a capital, as a phone's keyboard writes it ("Chị
Mai"); a kinship title the scripts do not speak with ("cô", "chú", "em"), read for what it
tells (the scripts keep the hotline's register: staff as "em", the customer as "anh" or
"chị"), and said so; a title typed without its marks in lower case ("chi Mai", "co Lan"),
as a keyboard without Vietnamese writes it; a full name typed for a form of address, called
by its given name. In either language, on "How to address" as for a new customer's name."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer

pytestmark = pytest.mark.asyncio

#: What is typed as the form of address of Nguyễn Thị Mai, and the line her record then
#: shows, for Lan (English) and Hòa (Vietnamese).
ADDRESSED = [
    ("Chị Mai", "Address as: Ms Mai", "Xưng hô: chị Mai"),
    ("chi Mai", "Address as: Ms Mai", "Xưng hô: chị Mai"),  # typed without its marks
    ("Cô Mai", "Address as: Ms Mai", "Xưng hô: chị Mai"),
    ("chú Mai", "Address as: Mr Mai", "Xưng hô: anh Mai"),
    ("em Mai", "Address as: Mai", "Xưng hô: anh/chị Mai"),
    ("anh Nguyễn Văn Nam", "Address as: Mr Nam", "Xưng hô: anh Nam"),
    ("Quý khách", "Address as: politely, without a name (“quý khách”)", "Xưng hô: quý khách"),
]
#: Said when a kinship title was read for another.
READ_AS = {"lan": "not as “{said}”", "hoa": "không dùng “{said}”"}


async def address_as(world: World, who: str, typed: str) -> list[str]:
    """Type `typed` as the form of address of the customer found by "mai": what is said."""
    person = getattr(world, who)
    await person.send("/customer mai")
    await person.press("✏️ Change how to address" if who == "lan" else "✏️ Đổi cách xưng hô")
    said = len(person.messages)
    await person.send(typed)
    return [m.plain_text for m in person.messages[said:]]


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize(("typed", "en", "vi"), ADDRESSED)
async def test_a_form_of_address_is_read_as_staff_say_it(
    world: World, who: str, typed: str, en: str, vi: str
) -> None:
    await add_customer(world, "Nguyễn Thị Mai")
    said = await address_as(world, who, typed)
    record = said[-1]
    assert (en if who == "lan" else vi) in record.splitlines(), record
    kinship = typed.split()[0].lower() in ("cô", "chú", "em")
    told = READ_AS[who].format(said=typed.split()[0])
    assert (told in said[0]) is kinship, said[0]


@pytest.mark.parametrize("typed", ["Cô Phạm Thị Lan", "chi Pham Thi Lan", "co Pham Thi Lan"])
@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_new_customer_named_with_a_title_is_recorded_without_it(
    world: World, who: str, typed: str
) -> None:
    person = getattr(world, who)
    english = who == "lan"
    await person.send("/exit")
    await person.press("➕ New customer" if english else "➕ Khách hàng mới")
    await person.send(typed)
    await person.press("Skip ⏭" if english else "Bỏ qua ⏭")
    await person.press("Individual" if english else "Cá nhân")
    await person.send("2019")
    await person.send("3tr")
    card = person.last_text
    assert card.splitlines()[0].split(" · ")[1] == typed.split(maxsplit=1)[1], card
    assert ("Hello Ms Lan." if english else "Dạ, em chào chị Lan.") in card
