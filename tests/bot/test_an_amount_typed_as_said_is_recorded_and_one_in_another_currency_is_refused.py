"""A compensation typed as staff say it to the customer ("3 trăm nghìn", "1 triệu 2") is
recorded at that value; one typed in another currency than the case's ("$50", "50 USD")
is refused naming both currencies, nothing recorded, and the question stays asked. In both
languages. Before, the first were asked again as no number, and a currency typed with an
amount was dropped: "500.000 đ" on a case kept in USD was 500,000 USD."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import label, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
SAID = [
    ("vi", "3 trăm nghìn", 300_000),
    ("en", "300 thousand", 300_000),
    ("vi", "nửa triệu", 500_000),
]


async def asked_the_voucher_s_value(world: World, locale: str) -> tuple[Person, int]:
    """A complaint walked to its compensation, a voucher chosen: the card asks how much."""
    person = getattr(world, WHO[locale])
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(label(person, "Voucher"))
    return person, case_id


@pytest.mark.parametrize(("locale", "typed", "amount"), SAID)
async def test_an_amount_typed_as_said_is_recorded_at_its_value(
    world: World, locale: str, typed: str, amount: int
) -> None:
    person, case_id = await asked_the_voucher_s_value(world, locale)
    await person.send(typed)
    case = await world.case(case_id)
    assert (case.compensation_type, case.compensation_value) == ("voucher", amount)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed", ["$50", "50 USD"])
async def test_an_amount_in_another_currency_is_refused_and_nothing_recorded(
    world: World, locale: str, typed: str
) -> None:
    person, case_id = await asked_the_voucher_s_value(world, locale)
    await person.send(typed)
    refused = person.messages[-1].plain_text
    assert all(said in refused for said in (f"“{typed}”", "USD", "VND"))
    case = await world.case(case_id)
    assert case.compensation_value is None
    await person.send("200k")  # the question is still the amount's
    assert (await world.case(case_id)).compensation_value == 200_000
