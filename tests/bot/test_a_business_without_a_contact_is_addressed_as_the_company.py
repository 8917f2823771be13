"""A business whose contact person nobody has named is addressed as the company itself,
in the greeting and all through every script: "quý công ty", never "anh/chị" (a person
nobody named); in English the greeting is left out rather than said to nobody. Read on the
cards staff see, a complaint walked through its five steps (the compensation approved on
the way) and the goodbye's first move, in both languages."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import compensate, label, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

COMPANY = "Công ty Hòa Bình"
HEADING = {"lan": "What you could say:", "hoa": "Lời thoại gợi ý:"}
OPEN = {"lan": "Open case", "hoa": "Xem hồ sơ"}


async def open_complaint_of(world: World, person: Person, kind: str) -> int:
    """Open a complaint of an `individual` (a new customer) or of the company with no
    contact (`business`, on record first), and reach step 1; return its case number."""
    if kind != "business":
        return await open_case(person)
    await add_customer(world, COMPANY, "business")
    return await open_case(person, COMPANY, existing=True)


def words_on(person: Person, who: str) -> str:
    """What the latest message gives staff to read aloud ("" when nothing)."""
    text, heading = person.last_text, HEADING[who]
    return text.split(heading)[1].strip().split("\n\n")[0] if heading in text else ""


async def complaint_words(world: World, person: Person, who: str) -> list[str]:
    """The words of every card of a complaint by the company, step by step: the apology,
    the fix, empathy, the compensation (above the limit, then approved), the follow-up and
    the call back."""
    await add_customer(world, COMPANY, "business")
    await open_case(person, COMPANY, existing=True)
    said = [words_on(person, who)]
    await walk_to_fix(person)
    said.append(words_on(person, who))
    await person.send("Re-delivered by our own van within the hour")
    await person.press(label(person, "Fixed now"))
    said.append(words_on(person, who))
    await person.send("They needed the goods for a fair")
    said.append(words_on(person, who))
    await compensate(person, "Voucher", "2tr")
    said.append(words_on(person, who))
    await world.minh.press("Approve")
    await person.press(OPEN[who])
    said.append(words_on(person, who))
    await person.press(label(person, "Tomorrow"))
    said.append(words_on(person, who))
    return said


async def test_every_card_of_a_complaint_by_a_company_with_no_contact_says_quý_công_ty(
    world: World,
) -> None:
    said = await complaint_words(world, world.hoa, "hoa")
    assert said[0].startswith("Dạ, em chào quý công ty. Em là Hòa bên chăm sóc khách hàng ạ.")
    assert "xin lỗi quý công ty về chuyện vừa rồi" in said[0]
    approved = "bên em xin gửi quý công ty phiếu quà tặng trị giá 2.000.000 VND thay lời xin lỗi"
    assert approved in said[5]
    assert said[6].startswith("Dạ, em chào quý công ty.")  # the call back
    assert all(said), said
    for words in said:
        assert "anh/chị" not in words
        assert "quý công ty" in words.lower()


async def test_in_english_a_company_with_no_contact_is_greeted_without_a_missing_name(
    world: World,
) -> None:
    said = await complaint_words(world, world.lan, "lan")
    assert said[0].startswith("Hello. My name is Lan, from customer care.")
    assert said[6].startswith("Hello. This is Lan from customer care.")
    assert all(said), said
    for words in said:
        assert "Hello " not in words
        assert " ." not in words


@pytest.mark.parametrize(
    ("who", "greeting"),
    [
        ("hoa", "Kính chào quý công ty. Trước hết, chúng tôi xin cảm ơn quý công ty"),
        ("lan", "Hello. First of all, thank you for trusting us"),
    ],
)
async def test_the_goodbye_greets_a_company_with_no_contact_as_the_company(
    world: World, who: str, greeting: str
) -> None:
    person = getattr(world, who)
    await add_customer(world, COMPANY, "business")
    await open_review(person, COMPANY)
    await climb_to_decision(person)
    await world.minh.press("Approve")
    await person.press(OPEN[who])
    await person.send("31/03/2027")  # the contract's renewal date
    said = words_on(person, who)
    assert said.startswith(greeting)
    assert "anh/chị" not in said
