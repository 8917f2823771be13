"""A supervisor declines the goodwill gesture asked for in a termination conversation: the
staff member had told the customer they would hear today, so the goodwill question they are
sent back to gives words that get back to the customer as promised, say that what was asked
for (named) was not approved, and offer another way — in the company's voice to a business.
Once another amount is recorded, the words go on as ever. Both languages."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_scripts_name_what_was_said import LABELS, at_goodwill
from tests.bot.walk import case_number, label, words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
YOU = {"individual": "anh/chị", "business": "quý công ty"}
ASKED = {
    "vi": "hoàn tiền kỳ cuối (2.000.000 VND)",
    "en": "a refund of your last period (2,000,000 VND)",
}
VARIANT = {"individual": "", "business": "_business"}


async def declined(world: World, locale: str, kind: str) -> tuple[Person, int]:
    """A refund of the last period of 2tr asked for, above the limit, and declined."""
    who = WHO[locale]
    person = await at_goodwill(world, who, kind)
    case_id = case_number(person.last_text)
    await person.press(LABELS[who]["refund"])
    await person.send("2tr")
    await world.minh.press(label(world.minh, "Decline"))
    await person.send(f"/case {case_id}")
    await person.press(words(person, "button.carry_on"))
    return person, case_id


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_the_goodwill_asked_again_owns_the_one_declined(
    world: World, locale: str, kind: str
) -> None:
    person, _ = await declined(world, locale, kind)
    key = f"field.goodwill.script_declined{VARIANT[kind]}"
    said = words(person, key, you=YOU[kind], offer=ASKED[locale])
    assert said in person.last_text
    assert ASKED[locale] in said


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_another_goodwill_recorded_after_a_decline_is_offered_as_ever(
    world: World, locale: str
) -> None:
    person, case_id = await declined(world, locale, "individual")
    await person.press(LABELS[WHO[locale]]["refund"])
    await person.send("100k")
    assert ASKED[locale] not in person.last_text
    assert (await world.case(case_id)).draft["goodwill_value"] == 100_000
