"""The words of step 4 and step 5 fit what the case recorded of its compensation, read on the
cards staff see, in both languages: with *no compensation* chosen nothing is said of making
it up (an apology and an explanation instead); a compensation promised when the follow-up
was agreed is referred to as promised, not promised again, when staff step back to it; and
whether it was given within the limit or approved above it is what the case recorded, not
what the limit is now (domain brief, sections 1.4 and 1.5)."""

from __future__ import annotations

import dataclasses

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_an_offer_is_promised_only_once_it_may_be_given import (
    COMPLAINT,
    LABELS,
    at_compensation,
    words_on,
)
from tests.bot.walk import compensate, label, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

WHO = ["lan", "hoa"]
NONE = {"lan": "No compensation", "hoa": "Không đền bù"}
CARRY_ON = {"lan": "Carry on with this case", "hoa": "Làm tiếp hồ sơ này"}
BACK = {"lan": "Back a step", "hoa": "Lùi một bước"}
#: Words that make it up to the customer in kind, or promise to.
MAKING_UP = {
    "lan": ("make it up", "would like you to have", "compensat", "voucher", "by way of apology"),
    "hoa": ("bù đắp", "đền bù", "xin gửi", "phiếu quà", "thay lời xin lỗi"),
}
#: The compensation referred to as promised already.
PROMISED = {
    "lan": "As I told you, what we are giving you by way of apology, a voucher worth",
    "hoa": "Dạ, như em đã báo, phiếu quà tặng trị giá",
}


@pytest.mark.parametrize("who", WHO)
async def test_with_no_compensation_chosen_the_words_make_nothing_up(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await at_compensation(person)
    await person.press(NONE[who])  # the card asks why
    said = words_on(person, who)
    assert said, person.last_text
    for words in MAKING_UP[who]:
        assert words not in said.lower(), (words, said)
    assert ("truly sorry" if who == "lan" else "thành thật xin lỗi") in said
    await person.send("The customer asked for nothing; the fix was enough")
    said = words_on(person, who)  # step 5: the follow-up, with nothing promised
    for words in MAKING_UP[who]:
        assert words not in said.lower(), (words, said)


async def agreed_and_stepped_back(person: Person, who: str) -> str:
    """The follow-up agreed, then stepped back from: the words step 5 shows again."""
    await person.press(label(person, "Tomorrow"))
    await person.press(BACK[who])
    return words_on(person, who)


@pytest.mark.parametrize("who", WHO)
async def test_a_compensation_promised_is_not_promised_again_after_stepping_back(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await at_compensation(person)
    await compensate(person, "Voucher", "200k")
    assert COMPLAINT[who]["firm"] in words_on(person, who)
    said = await agreed_and_stepped_back(person, who)
    assert PROMISED[who] in said
    assert COMPLAINT[who]["firm"] not in said
    # back again to step 4, and a compensation recorded afresh: that one is promised
    await person.press(BACK[who])
    await compensate(person, "Voucher", "300k")
    assert COMPLAINT[who]["firm"].replace("200", "300") in words_on(person, who)


async def approved_over_the_limit(world: World, who: str) -> Person:
    """A complaint at step 4 given 2tr, over the staff limit, and the supervisor approving."""
    person: Person = getattr(world, who)
    await at_compensation(person)
    await compensate(person, "Voucher", "2tr")
    await world.minh.press("Approve")
    return person


@pytest.mark.parametrize("who", WHO)
async def test_an_approved_compensation_is_not_announced_again_after_stepping_back(
    world: World, who: str
) -> None:
    person = await approved_over_the_limit(world, who)
    await person.press(LABELS[who]["open"])
    assert COMPLAINT[who]["approved"] in words_on(person, who)
    said = await agreed_and_stepped_back(person, who)
    assert PROMISED[who] in said
    assert COMPLAINT[who]["approved"] not in said
    assert COMPLAINT[who]["firm"] not in said


def set_limit(world: World, limit: int) -> None:
    """The company changes the staff limit (its settings read afresh)."""
    policy = world.services.policy
    world.services.policy = dataclasses.replace(policy, staff_compensation_limit=limit)


@pytest.mark.parametrize("who", WHO)
async def test_an_approved_compensation_stays_approved_when_the_limit_is_raised(
    world: World, who: str
) -> None:
    person = await approved_over_the_limit(world, who)
    set_limit(world, 5_000_000)  # 2tr would be within it now; it was approved all the same
    await person.press(LABELS[who]["open"])
    said = words_on(person, who)
    assert COMPLAINT[who]["approved"] in said


@pytest.mark.parametrize("who", WHO)
async def test_a_compensation_given_within_the_limit_is_not_said_approved_when_it_is_lowered(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Voucher", "200k")
    set_limit(world, 100_000)  # 200k would need approval now; nobody approved it
    await person.send(f"/case {case_id}")
    await person.press(CARRY_ON[who])  # the card drawn again
    said = words_on(person, who)
    assert COMPLAINT[who]["firm"] in said
    assert COMPLAINT[who]["approved"] not in said
