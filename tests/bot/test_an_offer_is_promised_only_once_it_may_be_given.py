"""Staff promise compensation, or a goodwill amount, only once it may be given: within their
limit, or approved above it. Before its amount is known the words promise nothing; while a
supervisor is asked they say it is being asked for and when the customer will hear; once it
may be given they promise it. Each names the offer as the case recorded it (its type and
amount), never a gap for staff to fill. Each card is read as staff see it, in both languages, for a
person and for a business (domain brief, sections 1.4 and 4.3)."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_scripts_name_what_was_said import LABELS, at_goodwill
from tests.bot.walk import compensate, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

HEADING = {"lan": "What you could say:", "hoa": "Lời thoại gợi ý:"}

#: The words of each moment of the complaint's compensation, as each reader reads them:
#: a firm promise, the offer being asked for, and the promise once approved.
COMPLAINT = {
    "lan": {
        "firm": "we would like you to have a voucher worth 200,000 VND.",
        "asked": "By way of apology, I have asked my supervisor to approve a voucher worth",
        "approved": "by way of apology we would like you to have a voucher worth 2,000,000 VND.",
    },
    "hoa": {
        "firm": "bên em xin gửi anh/chị phiếu quà tặng trị giá 200.000 VND thay lời xin lỗi ạ.",
        "asked": "em đang xin cho anh/chị phiếu quà tặng trị giá 2.000.000 VND thay lời xin lỗi",
        "approved": "được duyệt, bên em xin gửi anh/chị phiếu quà tặng trị giá 2.000.000 VND thay",
    },
}


def words_on(person: Person, who: str) -> str:
    """What the latest message gives staff to read aloud ("" when nothing)."""
    text, heading = person.last_text, HEADING[who]
    return text.split(heading)[1].strip().split("\n\n")[0] if heading in text else ""


async def at_compensation(person: Person) -> None:
    await open_case(person)
    await walk_to_compensate(person)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_words_for_the_compensation_promise_nothing_before_its_amount_is_known(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await at_compensation(person)
    said = words_on(person, who)
    assert said, person.last_text
    for words in COMPLAINT[who].values():
        assert words not in said
    assert ("find a way to make it up to you" if who == "lan" else "tìm cách bù đắp") in said


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_compensation_within_the_limit_is_promised_firmly(world: World, who: str) -> None:
    person = getattr(world, who)
    await at_compensation(person)
    await compensate(person, "Voucher", "200k")
    said = words_on(person, who)
    assert COMPLAINT[who]["firm"] in said
    assert "approved" not in said
    assert "duyệt" not in said


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_compensation_above_the_limit_is_only_asked_for_until_it_is_approved(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await at_compensation(person)
    await compensate(person, "Voucher", "2tr")
    said = words_on(person, who)
    assert COMPLAINT[who]["asked"] in said
    assert ("no later than 13:00 today" if who == "lan" else "chậm nhất là 13:00 hôm nay") in said
    assert COMPLAINT[who]["firm"] not in said
    await world.minh.press("Approve")
    await person.press(LABELS[who]["open"])  # from the notice of the decision
    said = words_on(person, who)
    assert COMPLAINT[who]["approved"] in said


#: The termination conversation's goodwill, as each reader reads it to each kind of customer.
GOODWILL = {
    ("lan", "individual"): {
        "before": "so we would like to make some of it up to you.",
        "firm": "We would like to offer you a refund of your last period (100,000 VND). Would",
        "asked": "asked my supervisor to approve a refund of your last period (2,000,000 VND)",
        "approved": "so we would like to offer you a refund of your last period (2,000,000 VND).",
    },
    ("lan", "business"): {
        "before": "so we would like to make some of it up to you.",
        "firm": "We would like to offer a refund of your last period (100,000 VND). Would that",
        "asked": "We are putting forward a refund of your last period (2,000,000 VND) for your",
        "approved": "so we would like to offer a refund of your last period (2,000,000 VND).",
    },
    ("hoa", "individual"): {
        "before": "nên bên em muốn hỗ trợ anh/chị phần nào ạ.",
        "firm": "Dạ, bên em xin hỗ trợ anh/chị hoàn tiền kỳ cuối (100.000 VND) ạ.",
        "asked": "em đang xin cho anh/chị hoàn tiền kỳ cuối (2.000.000 VND) ạ.",
        "approved": "bên em xin hỗ trợ anh/chị hoàn tiền kỳ cuối (2.000.000 VND) ạ.",
    },
    ("hoa", "business"): {
        "before": "vì vậy chúng tôi muốn hỗ trợ quý công ty một phần.",
        "firm": "Chúng tôi xin hỗ trợ quý công ty hoàn tiền kỳ cuối (100.000 VND).",
        "asked": "Chúng tôi đang đề xuất hoàn tiền kỳ cuối (2.000.000 VND) cho quý công ty.",
        "approved": "chúng tôi xin hỗ trợ quý công ty hoàn tiền kỳ cuối (2.000.000 VND).",
    },
}


@pytest.mark.parametrize(("who", "kind"), list(GOODWILL))
async def test_a_goodwill_amount_is_promised_only_once_it_may_be_given(
    world: World, who: str, kind: str
) -> None:
    words = GOODWILL[who, kind]
    person = await at_goodwill(world, who, kind)
    before = words_on(person, who)
    assert words["before"] in before
    assert "…" not in before  # nothing offered yet
    await person.press(LABELS[who]["refund"])
    await person.send("100k")  # within the limit: given at once
    said = words_on(person, who)
    assert words["firm"] in said
    assert words["approved"] not in said


@pytest.mark.parametrize(("who", "kind"), list(GOODWILL))
async def test_a_goodwill_amount_above_the_limit_is_only_asked_for_until_it_is_approved(
    world: World, who: str, kind: str
) -> None:
    words = GOODWILL[who, kind]
    person = await at_goodwill(world, who, kind)
    await person.press(LABELS[who]["refund"])
    await person.send("2tr")
    said = words_on(person, who)
    assert words["asked"] in said
    assert words["firm"] not in said
    assert ("no later than 13:00 today" if who == "lan" else "chậm nhất là 13:00 hôm nay") in said
    await world.minh.press("Approve")
    await person.press(LABELS[who]["open"])
    said = words_on(person, who)
    assert words["approved"] in said
