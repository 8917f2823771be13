"""The customer is still unhappy at the follow-up call and the case is reopened: the fix's
card then gives words that own the last fix fell short, before saying what is done now — not
the first fix's words, as if nothing had been tried. For a person and a business, in both
languages; the first fix keeps its own words."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import (
    open_complaint_of,
)
from tests.bot.walk import (
    choose,
    compensate,
    label,
    open_case,
    walk_to_compensate,
    words,
)

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
YOU = {"individual": "anh/chị", "business": "quý công ty"}


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_the_fix_after_a_reopen_owns_that_the_last_one_fell_short(
    world: World, locale: str, kind: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    await open_complaint_of(world, person, kind)
    await walk_to_compensate(person)
    await compensate(person)
    await choose(person, "tomorrow")
    await choose(person, "still_unhappy")
    assert words(person, "step.fix.script_reopened", you=YOU[kind]) in person.last_text
    assert words(person, "step.fix.script", you=YOU[kind]) not in person.last_text


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_the_first_fix_keeps_its_own_words(world: World, locale: str) -> None:
    person: Person = getattr(world, WHO[locale])
    await open_case(person)
    await choose(person, "calm")
    await person.press(label(person, "Skip"))
    assert words(person, "step.fix.script", you=YOU["individual"]) in person.last_text
    assert words(person, "step.fix.script_reopened", you=YOU["individual"]) not in person.last_text
