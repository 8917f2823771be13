"""A goodwill gesture "of another kind" asks what it is, and that is what every word about
it then says: the card's words read aloud, the supervisor's request when it is above the
limit, the words that own a declined one to the customer, and the timeline — never just "a
goodwill gesture worth …". Both languages, a person and a business customer."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_scripts_name_what_was_said import at_goodwill, words_on
from tests.bot.walk import case_number, label, words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
GESTURE = {"en": "a free month of maintenance", "vi": "miễn phí một tháng bảo trì"}
KINDS = ["individual", "business"]


async def other_gesture(world: World, locale: str, kind: str, value: str) -> tuple[Person, int]:
    """Move 3: a gesture of another kind, said what it is, worth `value`."""
    person = await at_goodwill(world, WHO[locale], kind)
    case_id = case_number(person.last_text)
    await person.press(words(person, "option.other_goodwill"))
    assert words(person, "field.goodwill_gesture.prompt") in person.last_text
    await person.send(GESTURE[locale])
    await person.send(value)
    return person, case_id


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_words_read_aloud_name_the_gesture_of_another_kind(
    world: World, locale: str, kind: str
) -> None:
    person, case_id = await other_gesture(world, locale, kind, "300k")
    said = words_on(person, WHO[locale])
    worth = {"en": "worth 300,000 VND", "vi": "trị giá 300.000 VND"}[locale]
    assert f"{GESTURE[locale]} {worth}" in said
    assert words(person, "offer.other_goodwill", value="300") not in said
    await person.send("Khách đồng ý")
    await person.send(f"/case {case_id}")
    gesture_line = f"{words(person, 'field.goodwill_gesture.label')}: {GESTURE[locale]}"
    assert gesture_line in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_gesture_of_another_kind_above_the_limit_is_named_to_the_supervisor_and_declined(
    world: World, locale: str
) -> None:
    person, case_id = await other_gesture(world, locale, "individual", "2tr")
    minh = world.minh
    assert f"{GESTURE[locale]}" in minh.last_text
    await minh.press(label(minh, "Decline"))
    await person.send(f"/case {case_id}")
    await person.press(words(person, "button.carry_on"))
    assert GESTURE[locale] in words_on(person, WHO[locale])
