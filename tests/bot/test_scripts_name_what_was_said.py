"""Move 5 of the polite termination names the option staff suggest: once a partner is picked
or another option typed, the words to read aloud say it, in both languages and both the
consumer and the business variants (domain brief, section 4.5)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

PARTNERS = [{"vi": "Công ty Sao Mai", "en": "Sao Mai Company"}]
LABELS = {
    "lan": {
        "open": "Open case",
        "ready": "Ready",
        "refund": "Refund the last period",
        "heading": "What you could say:",
    },
    "hoa": {
        "open": "Xem hồ sơ",
        "ready": "Sẵn sàng",
        "refund": "Hoàn tiền kỳ cuối",
        "heading": "Lời thoại gợi ý:",
    },
}


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """A company with one partner configured to suggest at move 5."""
    async for w in make_world(settings_for(database_url, reviews={"partners": PARTNERS}), clock):
        yield w


async def at_goodwill(world: World, who: str, kind: str) -> Person:
    """A review approved, the customer thanked and the situation framed: move 3."""
    person, labels = getattr(world, who), LABELS[who]
    await add_customer(world, "Lê Văn Tám", kind)
    await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    await world.minh.press("Approve")
    await person.press(labels["open"])
    if kind == "business":
        await person.send("31/03/2027")
    else:
        await person.press(labels["ready"])
    for text in ("ok1", "ok2"):
        await person.send(text)
    return person


async def at_move_five(world: World, who: str, kind: str) -> Person:
    """A review approved and walked through the first four moves, by Lan or Hòa."""
    person = await at_goodwill(world, who, kind)
    await person.press(LABELS[who]["refund"])
    for text in ("100k", "ok3", "ok4"):
        await person.send(text)
    return person


def words_on(person: Person, who: str) -> str:
    """What the latest card gives to read aloud."""
    text = person.last_text
    heading = LABELS[who]["heading"]
    return text.split(heading)[1].split("\n\n")[0] if heading in text else ""


@pytest.mark.parametrize(
    ("who", "kind", "another", "said"),
    [
        (
            "lan",
            "individual",
            "Another option",
            "you could try Nhà sách Phương Nam. If it helps",
        ),
        (
            "lan",
            "business",
            "Another option",
            "you may wish to consider Nhà sách Phương Nam. We will gladly help",
        ),
        (
            "hoa",
            "individual",
            "Lựa chọn khác",
            "anh/chị có thể tham khảo Nhà sách Phương Nam ạ. Nếu anh/chị cần",
        ),
        (
            "hoa",
            "business",
            "Lựa chọn khác",
            "quý công ty có thể tham khảo Nhà sách Phương Nam. Chúng tôi sẵn lòng",
        ),
    ],
)
async def test_the_words_after_another_option_is_typed_name_that_option(
    world: World, who: str, kind: str, another: str, said: str
) -> None:
    person = await at_move_five(world, who, kind)
    await person.press(another)
    await person.send("Nhà sách Phương Nam")
    words = words_on(person, who)
    assert said in words
    assert "…" not in words


@pytest.mark.parametrize(
    ("who", "kind", "partner", "said"),
    [
        ("lan", "individual", "Sao Mai Company", "you could try Sao Mai Company. If it helps"),
        ("lan", "business", "Sao Mai Company", "you may wish to consider Sao Mai Company. We"),
        (
            "hoa",
            "individual",
            "Công ty Sao Mai",
            "có thể tham khảo Công ty Sao Mai ạ. Nếu anh/chị cần",
        ),
        ("hoa", "business", "Công ty Sao Mai", "quý công ty có thể tham khảo Công ty Sao Mai."),
    ],
)
async def test_the_words_after_a_partner_is_picked_name_that_partner(
    world: World, who: str, kind: str, partner: str, said: str
) -> None:
    person = await at_move_five(world, who, kind)
    await person.press(partner)
    assert said in words_on(person, who)


async def test_the_option_typed_is_said_as_typed_never_as_markup(world: World) -> None:
    person = await at_move_five(world, "lan", "individual")
    await person.press("Another option")
    await person.send("<b>Shop</b> & Co")
    assert "you could try <b>Shop</b> & Co. If it helps" in words_on(person, "lan")
