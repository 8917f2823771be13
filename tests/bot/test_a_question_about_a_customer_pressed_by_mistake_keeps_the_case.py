"""A button of a customer's record (how to address them, flag at risk) pressed by mistake in
the middle of a case: the question it asks can be left, and the case's next answer is never
taken as a form of address or a reason; answered, the case is drawn again where it stood."""

from __future__ import annotations

import pytest

from flows.model import Customer
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import label, open_case

pytestmark = pytest.mark.asyncio

WORDS = {
    "lan": {
        "rename": "How to address",
        "flag": "Flag at risk",
        "carry_on": "Carry on with this case",
        "never_mind": "Leave it as it was",
        "note_asked": "Anything to note about the apology?",
        "not_expecting": "I am not waiting for any text",
        "flagged": "is flagged at risk",
        "pause": "Pause",
    },
    "hoa": {
        "rename": "Xưng hô",
        "flag": "Đánh dấu nguy cơ",
        "carry_on": "Làm tiếp hồ sơ này",
        "never_mind": "Thôi, không ghi nữa",
        "note_asked": "Có gì cần ghi chú về lời xin lỗi không?",
        "not_expecting": "Lúc này tôi không chờ bạn gõ gì",
        "flagged": "có nguy cơ rời bỏ",
        "pause": "Tạm dừng",
    },
}

NAME = "Nguyễn Thị Hương"


async def customer(world: World) -> Customer:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.customers.search("huong", 2)
    assert len(found) == 1
    return found[0]


async def at_the_apology_note(person: Person) -> int:
    """A case at its apology's note, the customer's record shown above its card."""
    case_id = await open_case(person, NAME)
    await person.send("/customer " + NAME)
    await person.press(f"#{case_id}")  # back to the case, from the record's button
    await person.press(label(person, "Calm"))
    return case_id


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("button", ["rename", "flag"])
async def test_a_record_button_pressed_mid_case_is_left_and_the_answer_goes_to_the_case(
    world: World, who: str, button: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await at_the_apology_note(person)
    before = await customer(world)
    given, status = before.given_name, before.status
    await person.press(words[button])  # on the record above: pressed by mistake
    assert person.buttons == ["▶ " + words["carry_on"]]
    await person.press(words["carry_on"])
    assert words["note_asked"] in person.last_text
    await person.send("She calmed down once I owned the mistake")
    after = await customer(world)
    assert (after.given_name, after.status) == (given, status)
    recorded = [e.data for e in await world.events(case_id) if e.step == "apologise"]
    assert "She calmed down once I owned the mistake" in str(recorded)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_reason_typed_for_a_flag_asked_mid_case_returns_to_the_case(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await at_the_apology_note(person)
    await person.press(words["flag"])
    await person.send("Said she will try the shop across the street")
    assert (await customer(world)).status == "at_risk"
    texts = [m.plain_text for m in person.messages[-3:]]
    assert any(words["flagged"] in t for t in texts)
    assert words["note_asked"] in person.last_text  # the case, drawn again where it stood
    await person.send("Skipped nothing")
    assert words["not_expecting"] not in person.last_text


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_question_about_a_customer_asked_outside_a_case_can_be_left(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await at_the_apology_note(person)
    await person.press(words["pause"])  # nothing is asked now
    await person.send("/customer " + NAME)
    before = await customer(world)
    await person.press(words["rename"])
    assert person.buttons == ["↩ " + words["never_mind"]]
    await person.press(words["never_mind"])
    assert NAME in person.last_text  # the record again
    await person.send("Re-delivered by our own van")
    assert words["not_expecting"] in person.last_text
    assert (await customer(world)).given_name == before.given_name
