"""A complaint opened by mistake (a duplicate) is cancelled: it is no complaint the customer
made, so the at-risk flag the rule raised with it ("flagged automatically after repeated
complaints") is lifted when the complaints left no longer reach the rule — whichever of them
was cancelled — and the cancelled case's timeline says so. A flag someone raised by hand
stays, and so does one the complaints left still justify. For a person and a business, in
both languages."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import COMPANY
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
PERSON = "Vũ Thị Hoa"
#: The customer each kind names, and what /customer is typed with to find them.
CUSTOMERS = {"individual": (PERSON, "Vũ Thị Hoa"), "business": (COMPANY, "hoa binh")}


async def complaints(world: World, person: Person, kind: str, count: int) -> list[int]:
    """`count` complaints of one customer of `kind`: the rule (2 in 90 days) flags them."""
    name, _ = CUSTOMERS[kind]
    await add_customer(world, name, kind)
    return [await open_case(person, name, existing=True) for _ in range(count)]


async def cancel(person: Person, case_id: int) -> None:
    await person.send(f"/case {case_id}")
    await person.press(words(person, "button.carry_on"))
    await person.press(words(person, "button.cancel_reason"))
    await person.send("Trùng hồ sơ khác")


async def status(world: World, case_id: int) -> str:
    async with world.services.sessions() as session:
        from sqlalchemy import text

        row = await session.execute(
            text(
                "SELECT status FROM customers WHERE id ="
                " (SELECT customer_id FROM cases WHERE id = :case)"
            ),
            {"case": case_id},
        )
        return str(row.scalar_one())


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
@pytest.mark.parametrize("cancelled", [0, 1])
async def test_a_duplicate_cancelled_lifts_the_flag_it_raised(
    world: World, locale: str, kind: str, cancelled: int
) -> None:
    person: Person = getattr(world, WHO[locale])
    cases = await complaints(world, person, kind, 2)
    assert await status(world, cases[0]) == "at_risk"
    await cancel(person, cases[cancelled])
    assert await status(world, cases[0]) == "active"
    await person.send(f"/customer {CUSTOMERS[kind][1]}")
    assert words(person, "customer.status.at_risk") not in person.last_text
    assert words(person, "customer.status.active") in person.last_text
    await person.send(f"/case {cases[cancelled]}")
    assert words(person, "event.at_risk_lifted") in person.last_text


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_flag_the_complaints_left_still_justify_stays(world: World, locale: str) -> None:
    person: Person = getattr(world, WHO[locale])
    cases = await complaints(world, person, "individual", 3)
    await cancel(person, cases[1])
    assert await status(world, cases[0]) == "at_risk"


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_flag_raised_by_hand_stays_when_a_complaint_is_cancelled(
    world: World, locale: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    [case_id] = await complaints(world, person, "individual", 1)
    await person.send(f"/customer {PERSON}")
    await person.press(words(person, "button.flag_at_risk"))
    await person.send("Khách nói sẽ chuyển sang bên khác")
    assert await status(world, case_id) == "at_risk"
    await cancel(person, case_id)
    assert await status(world, case_id) == "at_risk"
