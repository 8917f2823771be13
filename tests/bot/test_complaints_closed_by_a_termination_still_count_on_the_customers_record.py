"""A complaint closed because its customer was let go (a review's goodbye ends every open
case of theirs) was made all the same: the customer's record (/customer) still counts it,
while one cancelled as a mistake (a duplicate) counts for nothing; in both languages."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import (
    add_customer,
    approved_termination,
    close_the_conversation,
    offer_goodwill,
)
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

CUSTOMER = "Lê Văn Tám"


async def complained_twice_and_once_by_mistake(person: Person) -> None:
    """Two complaints by the customer, left open; a third, a duplicate, cancelled."""
    await open_case(person, CUSTOMER, existing=True)
    await open_case(person, CUSTOMER, "Hàng giao thiếu", existing=True)
    duplicate = await open_case(person, CUSTOMER, "Hàng giao thiếu", existing=True)
    await person.press("✖")
    await person.send(f"Trùng với hồ sơ #{duplicate - 1}")


def counted(person: Person, complaints: int) -> str:
    return words(person, "record.complaints", complaints=complaints, reopens=0, compensation="")


@pytest.mark.parametrize("locale", LOCALES)
async def test_complaints_closed_by_a_termination_still_count_on_the_record(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, CUSTOMER)
    await complained_twice_and_once_by_mistake(person)
    await approved_termination(world, CUSTOMER, added=True, staff=person, supervisor=supervisor)
    await offer_goodwill(person, "200k")
    await close_the_conversation(person)
    await person.send("/customer Tám")
    assert counted(person, 2).split("·")[0] in person.last_text
