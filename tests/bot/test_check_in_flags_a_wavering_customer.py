"""A check-in that hears a customer undecided or thinking of leaving offers, on its closing
card, to flag them at risk in one press, with what the check-in heard as the reason: they are
then tracked on /atrisk (domain brief, section 5). Flagging stays the staff member's choice."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.test_supervision import a_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

#: The labels of a check-in, and what its closing card and the flag say, in each language.
WORDS = {
    "lan": {
        "check_in": "Check-in call",
        "partly": "Partly met",
        "skip": "Skip",
        "flag": "⚠ Flag at risk",
        "hint": "to put them on the at-risk list (/atrisk)",
        "flagged": "Phan Thu Hà is flagged at risk",
        "already": "already flagged at risk",
        "stays": "Staying",
    },
    "hoa": {
        "check_in": "Hỏi thăm khách",
        "partly": "Đáp ứng một phần",
        "skip": "Bỏ qua",
        "flag": "⚠ Đánh dấu nguy cơ",
        "hint": "để đưa khách vào danh sách có nguy cơ rời bỏ (/atrisk)",
        "flagged": "Đã đánh dấu Phan Thu Hà có nguy cơ rời bỏ",
        "already": "đã được đánh dấu có nguy cơ rời bỏ rồi",
        "stays": "Sẽ ở lại",
    },
}
#: Where the customer stands, the button that says so, and why the card says they are at risk.
HEARD = {
    ("lan", "leaving"): (
        "Thinking of leaving",
        "flagged by Lan after a check-in (case #{case}): Customer thinking of leaving.\n"
        "They would like us to improve or add: “Evening delivery”",
    ),
    ("lan", "undecided"): (
        "Still deciding",
        "flagged by Lan after a check-in (case #{case}): Customer undecided.\n"
        "They would like us to improve or add: “Evening delivery”",
    ),
    ("hoa", "leaving"): (
        "Có ý rời đi",
        "Hòa đánh dấu sau lần hỏi thăm ở hồ sơ #{case}: Khách có ý rời đi.\n"
        "Khách mong cải thiện, bổ sung: “Evening delivery”",
    ),
    ("hoa", "undecided"): (
        "Còn lưỡng lự",
        "Hòa đánh dấu sau lần hỏi thăm ở hồ sơ #{case}: Khách còn lưỡng lự.\n"
        "Khách mong cải thiện, bổ sung: “Evening delivery”",
    ),
}


async def checked_in(world: World, who: str, standing: str) -> tuple[Person, int]:
    """A check-in with Phan Thu Hà, by Lan or Hòa, ending on the standing button pressed."""
    person, words = getattr(world, who), WORDS[who]
    await person.send("/customer phan thu")
    await person.press(words["check_in"])
    case_id = case_number(person.last_text)
    await person.send("Fast delivery")
    await person.press(words["partly"])
    await person.send("Evening delivery")
    await person.press(words["skip"])
    await person.press(standing)
    return person, case_id


@pytest.mark.parametrize(("who", "standing"), list(HEARD))
async def test_a_check_in_that_hears_a_customer_may_leave_flags_them_at_risk_in_one_press(
    world: World, who: str, standing: str
) -> None:
    await add_customer(world, "Phan Thu Hà")
    button, reason = HEARD[(who, standing)]
    person, case_id = await checked_in(world, who, button)
    words = WORDS[who]
    assert words["hint"] in person.last_text
    assert (await a_customer(world, "Phan Thu Hà")).status == "active"  # not before the press
    await person.press(words["flag"])
    assert words["flagged"] in person.messages[-2].plain_text
    customer = await a_customer(world, "Phan Thu Hà")
    assert customer.status == "at_risk"
    assert customer.at_risk_reason == "Evening delivery"  # as typed: nothing worded is kept
    assert customer.at_risk_case_id == case_id
    assert reason.format(case=case_id) in person.last_text  # the customer's card
    await world.minh.send("/atrisk")
    assert "Customers at risk (1)" in world.minh.last_text
    await person.press(words["flag"], person.api.find_message(person.chat_id, _card(person)))
    assert words["already"] in person.messages[-2].plain_text


def _card(person: Person) -> int:
    """The check-in's closing card: the latest message offering the flag."""
    label = WORDS["lan" if person.language_code == "en" else "hoa"]["flag"]
    return next(m.message_id for m in reversed(person.messages) if label in str(m.buttons))


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_customer_who_stays_or_is_flagged_already_is_offered_no_flag(
    world: World, who: str
) -> None:
    await add_customer(world, "Phan Thu Hà")
    words = WORDS[who]
    person, _ = await checked_in(world, who, words["stays"])
    assert words["flag"] not in person.last.button_labels
    assert words["hint"] not in person.last_text
    person, _ = await checked_in(world, who, HEARD[(who, "leaving")][0])
    await person.press(words["flag"])
    person, _ = await checked_in(world, who, HEARD[(who, "undecided")][0])
    assert words["flag"] not in person.last.button_labels  # already at risk: nothing to flag
    assert words["hint"] not in person.last_text


async def test_flagging_from_a_check_in_keeps_what_the_person_was_answering(
    world: World,
) -> None:
    await add_customer(world, "Phan Thu Hà")
    person, _ = await checked_in(world, "lan", "Thinking of leaving")
    card = _card(person)
    await person.send("/new")  # a complaint asks for its customer
    complaint = case_number(person.last_text)
    await person.press("⚠ Flag at risk", person.api.find_message(person.chat_id, card))
    assert (await a_customer(world, "Phan Thu Hà")).status == "at_risk"
    await person.send("phan thu")  # still the complaint's customer search
    assert "Phan Thu Hà" in person.buttons[0]
    await person.press(person.buttons[0])
    assert (await world.case(complaint)).customer_id == (await a_customer(world, "Phan Thu Hà")).id


async def test_only_the_check_ins_owner_or_a_supervisor_may_flag_from_it(world: World) -> None:
    await add_customer(world, "Phan Thu Hà")
    person, _ = await checked_in(world, "lan", "Thinking of leaving")
    card = person.api.find_message(person.chat_id, _card(person))
    assert card is not None
    data = next(b.callback_data for row in card.buttons for b in row)
    await world.hoa.press_data(str(data))
    assert (await a_customer(world, "Phan Thu Hà")).status == "active"
    await world.minh.press_data(str(data))
    assert (await a_customer(world, "Phan Thu Hà")).status == "at_risk"


@pytest.mark.parametrize(
    ("who", "standing", "reader", "said", "unsaid"),
    [
        (
            "hoa",
            "Có ý rời đi",
            "minh",
            "flagged by Hòa after a check-in (case #{case}): Customer thinking of leaving.\n"
            "They would like us to improve or add: “Evening delivery”",
            ("Khách", "hỏi thăm", "đánh dấu"),
        ),
        (
            "lan",
            "Thinking of leaving",
            "hoa",
            "Lan đánh dấu sau lần hỏi thăm ở hồ sơ #{case}: Khách có ý rời đi.\n"
            "Khách mong cải thiện, bổ sung: “Evening delivery”",
            ("Check-in", "Customer", "flagged", "They would"),
        ),
    ],
)
async def test_a_flag_from_a_check_in_reads_in_the_language_of_whoever_opens_the_card(
    world: World, who: str, standing: str, reader: str, said: str, unsaid: tuple[str, ...]
) -> None:
    await add_customer(world, "Phan Thu Hà")
    person, case_id = await checked_in(world, who, standing)
    await person.press(WORDS[who]["flag"])
    someone = getattr(world, reader)
    await someone.send("/customer phan thu")
    assert said.format(case=case_id) in someone.last_text
    assert not [word for word in unsaid if word in someone.last_text]
