"""An offer to the customer worth nothing is no offer: a compensation or a goodwill gesture
typed as 0 is asked again, saying so, in the reader's language; nothing is recorded (neither
a compensation of 0 that would pass the "no compensation, and why" question, nor a gesture
of 0 to read aloud), and the amount typed next is taken. Every compensation of the catalogue,
for a person and for a business, in both languages."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import COMPANY
from tests.bot.test_review_conversation import add_customer
from tests.bot.test_scripts_name_what_was_said import LABELS, at_goodwill
from tests.bot.walk import case_number, choose, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
#: The catalogue's offers with a value (the config's default), and ways of typing nothing.
OFFERS = ("voucher", "discount", "free_service", "gift", "refund")
NOTHING = ("0", "0đ", "0k", "0 đồng", "000")


async def at_the_value(world: World, person: Person, kind: str, offer: str) -> int:
    """A complaint walked to the compensation, `offer` chosen: its value is asked."""
    if kind == "business":
        await add_customer(world, COMPANY, "business")
        case_id = await open_case(person, COMPANY, existing=True)
    else:
        case_id = await open_case(person)
    await walk_to_compensate(person)
    await choose(person, offer)
    return case_id


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
@pytest.mark.parametrize("offer", OFFERS)
async def test_a_compensation_worth_nothing_is_asked_again_and_nothing_is_recorded(
    world: World, locale: str, kind: str, offer: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    case_id = await at_the_value(world, person, kind, offer)
    events = len(await world.events(case_id))
    for typed in NOTHING:
        await person.send(typed)
        assert person.last_text == words(person, "error.nothing_offered.value"), typed
    case = await world.case(case_id)
    assert case.state == "compensate"
    assert case.compensation_type is None
    assert case.compensation_given == []
    assert len(await world.events(case_id)) == events  # nothing logged
    await person.send("200k")  # the amount typed next is taken
    case = await world.case(case_id)
    assert (case.state, case.compensation_type, case.compensation_value) == (
        "follow_up",
        offer,
        200_000,
    )


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_a_goodwill_gesture_worth_nothing_is_asked_again(
    world: World, locale: str, kind: str
) -> None:
    who = WHO[locale]
    person = await at_goodwill(world, who, kind)
    await person.press(LABELS[who]["refund"])
    case_id = case_number(person.last_text)
    for typed in NOTHING:
        await person.send(typed)
        assert person.last_text == words(person, "error.nothing_offered.goodwill_value"), typed
    assert "goodwill_value" not in (await world.case(case_id)).draft
    await person.send("100k")
    assert (await world.case(case_id)).draft["goodwill_value"] == 100_000
