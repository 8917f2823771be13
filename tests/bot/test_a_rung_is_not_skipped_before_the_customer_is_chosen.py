"""A problem review asks first who the customer is: until then its card offers neither
*⏭ Skip rung* nor *⚖ Decide now*, and a press of either (an old card, a forged button)
records nothing. Before, a rung could be skipped, and logged as done, for nobody."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

LABELS = {
    "lan": ("Skip rung", "Decide now", "Who is the customer?"),
    "hoa": ("Bỏ qua giai đoạn", "Quyết định ngay", "Khách hàng là ai?"),
}


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_review_without_its_customer_offers_no_skip_nor_decision_and_takes_none(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    skip, straight, asked = LABELS[who]
    await person.send("/problem")
    case_id = case_number(person.last_text)
    assert not any(skip in b or straight in b for b in person.buttons)
    version = (await world.case(case_id)).version
    for verb in ("skip_reason", "straight"):
        await person.press_data(f"k:{case_id}:{version}:a:{verb}")
    await person.send("No reason at all")
    case = await world.case(case_id)
    assert case.state == "reassess"
    assert [e.kind for e in await world.events(case_id)] == ["opened"]
    assert asked in person.last_text
