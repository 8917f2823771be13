"""A second complaint within the window flags the customer at risk of leaving (the rule of
repeated complaints): whoever handles their cases then sees it at the head of every card —
the complaint that raised it, from its first step, and any case of theirs opened after —
in their own language, for a person and a business. A customer not at risk is not marked."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import COMPANY
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
NAMES = {"individual": "Vũ Thị Hoa", "business": COMPANY}


def header(person: Person) -> str:
    """The first line of the case's card, under the steps logged above it."""
    card = person.last_text
    return next(line for line in card.split("\n") if line.startswith(card_start(person)))


def card_start(person: Person) -> str:
    return "Hồ sơ #" if person.language_code == "vi" else "Case #"


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_the_complaint_that_flags_a_customer_and_their_later_cases_say_so(
    world: World, locale: str, kind: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    flag = words(person, "customer.status.at_risk")
    await add_customer(world, NAMES[kind], kind)
    await open_case(person, NAMES[kind], existing=True)
    assert flag not in header(person)  # one complaint: not at risk
    await open_case(person, NAMES[kind], existing=True)  # the second: flagged
    assert flag in header(person)
    await open_review(person, NAMES[kind])
    assert flag in header(person)
