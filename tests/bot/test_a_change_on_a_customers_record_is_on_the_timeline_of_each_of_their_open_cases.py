"""A change made on a customer's record by hand — flagged at risk, or how they are addressed
— changes the card of each of their open cases, and is logged on each one's timeline too:
a supervisor reading a case's log sees who changed what, and when, in their own language.
A case of theirs already closed is left as it was.
"""

from __future__ import annotations

import pytest

from bot.callbacks import customer_button
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import COMPANY
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

NAMES = {"individual": "Vũ Thị Hoa", "business": COMPANY}


async def two_open_cases(world: World, staff: Person, kind: str) -> tuple[int, list[int]]:
    """A customer on record with a complaint and a review open; their id and the cases."""
    customer_id = await add_customer(world, NAMES[kind], kind)
    cases = [
        await open_case(staff, NAMES[kind], existing=True),
        await open_review(staff, NAMES[kind]),
    ]
    return customer_id, cases


async def timeline(person: Person, case_id: int) -> str:
    await person.send(f"/case {case_id}")
    return "\n".join(m.plain_text for m in person.messages[-3:])


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_a_customer_flagged_at_risk_by_hand_is_on_each_open_cases_timeline(
    world: World, language: str, kind: str
) -> None:
    staff, supervisor = await staff_and_supervisor(world, language)
    customer_id, cases = await two_open_cases(world, staff, kind)
    await staff.send(f"/customer {NAMES[kind]}")
    await staff.press(customer_button(customer_id, "atrisk"))
    await staff.send("Nói sẽ chuyển sang bên khác")
    for case_id in cases:
        logged = await timeline(supervisor, case_id)
        assert words(supervisor, "event.at_risk") in logged, logged
        assert "Nói sẽ chuyển sang bên khác" in logged


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_form_of_address_changed_is_on_each_open_cases_timeline(
    world: World, language: str
) -> None:
    staff, supervisor = await staff_and_supervisor(world, language)
    customer_id, cases = await two_open_cases(world, staff, "individual")
    await supervisor.send(f"/customer {NAMES['individual']}")
    await supervisor.press(customer_button(customer_id, "rename"))
    await supervisor.send("cô Hoa")
    for case_id in cases:
        logged = await timeline(supervisor, case_id)
        assert words(supervisor, "event.address_changed") in logged, logged
        assert "cô Hoa" in logged


async def test_a_closed_case_of_the_customer_keeps_its_timeline_as_it_was(world: World) -> None:
    customer_id = await add_customer(world, NAMES["individual"])
    case_id = await open_case(world.lan, NAMES["individual"], existing=True)
    await world.lan.press(words(world.lan, "button.cancel_reason"))
    await world.lan.send("Opened by mistake")
    await world.lan.send(f"/customer {NAMES['individual']}")
    await world.lan.press(customer_button(customer_id, "atrisk"))
    await world.lan.send("Said they would switch")
    assert words(world.minh, "event.at_risk") not in await timeline(world.minh, case_id)
