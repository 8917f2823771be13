"""A supervisor declines the compensation asked for: the staff member had promised the
customer a call back today, so the compensation card they are sent back to gives words that
call back as promised, say that what was asked for (named) was not approved, and find another
way — not the first words, as if nothing had been asked. Once another is recorded, the card
goes on as ever. For a person and a business, in both languages."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import (
    open_complaint_of,
)
from tests.bot.walk import compensate, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

YOU = {"individual": "anh/chị", "business": "quý công ty"}
#: The refund of 2tr asked for, as the words name it.
ASKED = {"vi": "khoản hoàn tiền 2.000.000 VND", "en": "a refund of 2,000,000 VND"}


async def declined(world: World, locale: str, kind: str) -> Person:
    """A refund of 2tr asked for, above the limit, and declined by the supervisor."""
    person, supervisor = await staff_and_supervisor(world, locale)
    await open_complaint_of(world, person, kind)
    await walk_to_compensate(person)
    await compensate(person, "Refund", "2tr")
    await supervisor.press(words(supervisor, "button.verdict_n"))
    await person.send("/cases")
    await person.press("#1")
    return person


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_the_card_after_a_decline_owns_it_and_names_what_was_asked(
    world: World, locale: str, kind: str
) -> None:
    person = await declined(world, locale, kind)
    said = words(person, "step.compensate.script_declined", you=YOU[kind], offer=ASKED[locale])
    assert said in person.last_text
    assert ASKED[locale] in said
    first = words(person, "step.compensate.script", you=YOU[kind], You=YOU[kind].capitalize())
    assert first not in person.last_text
    await person.press(words(person, "option.voucher"))  # while another is chosen: still so
    assert said in person.last_text


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_another_compensation_recorded_after_a_decline_is_promised_as_ever(
    world: World, locale: str
) -> None:
    person = await declined(world, locale, "individual")
    await compensate(person, "Voucher", "200k")
    assert (await world.case(1)).state == "follow_up"
    assert (
        words(person, "offer.voucher", value="200.000 VND" if locale == "vi" else "200,000 VND")
        in person.last_text
    )
    assert ASKED[locale] not in person.last_text.split(words(person, "case.script_heading"))[-1]
