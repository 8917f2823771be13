"""A complaint's customer is recorded with the rest of its intake. Ended there — cancelled as
a mistake, or ended early — a customer typed in was never recorded: no `customer forget`
could ever reach what was typed about them, so none of it is kept (the case's draft and its
ending's event keep the choices only), and the person ending it is told so before they type
the reason. Before, the cancel event and the draft kept the name, the phone and the
customer's words for good. An existing customer chosen there is the case's at once: what was
typed about them stays, and forgetting them reaches it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number, words
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

NAME = "Trần Văn Bình"
PHONE = "0903 123 456"
SUMMARY = "Giao nhầm hàng tới 12 Lê Lợi, con gái chị ấy nhận"
REASON = "Mở nhầm, khách gọi nhầm tổng đài"


async def everything_stored(world: World) -> str:
    """Every row of the tables that hold what was typed about a case, as one text."""
    async with world.services.sessions() as session:
        rows = [
            str(row)
            for table in ("cases", "case_events", "reminders", "customers", "incidents")
            for row in await session.execute(text(f"SELECT * FROM {table}"))
        ]
    return "\n".join(rows)


async def at_the_category(person: Person, customer: str, *, existing: bool) -> int:
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send(customer)
    if existing:
        await person.press(customer)
    else:
        await person.press(words(person, "button.new_customer"))
        await person.send(customer)
        await person.send(PHONE)
        await person.press(words(person, "option.individual"))
        await person.send("2019")
        await person.send("3tr")
    await person.send(SUMMARY)  # the category is not chosen yet: the intake is not done
    return case_id


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("ending", ["cancel_reason", "end_reason"])
async def test_a_new_customer_typed_at_an_intake_ended_there_is_kept_nowhere_and_it_is_said_first(
    world: World, locale: str, ending: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await at_the_category(person, NAME, existing=False)
    await person.press(words(person, f"button.{ending}"))
    asked = [m.plain_text for m in person.messages[-2:]]
    assert asked == [
        words(person, "ask.unrecorded_customer", case=case_id),
        words(person, f"ask.{ending}", case=case_id),
    ]
    await person.send(REASON)

    stored = await everything_stored(world)
    for typed in (NAME, "0903123456", "903123456", SUMMARY):
        assert typed not in stored
    [*_, ended] = await world.events(case_id)
    assert ended.kind == "cancel"
    assert ended.data["reason"] == REASON  # the reason stays
    assert ended.data["unfinished"] == {
        "customer": "new",
        "new_kind": "individual",
        "new_yearly_value": 3_000_000,
    }
    assert (await world.case(case_id)).draft == ended.data["unfinished"]


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_an_existing_customer_chosen_at_an_intake_cancelled_there_is_forgotten_there_too(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    case_id = await at_the_category(person, "Nguyễn Thị Hương", existing=True)
    await person.press(words(person, "button.cancel_reason"))
    assert person.last_text == words(person, "ask.cancel_reason", case=case_id)  # kept: said
    await person.send(REASON)
    [*_, ended] = await world.events(case_id)
    assert ended.data["unfinished"]["summary"] == SUMMARY  # on record, where forgetting goes

    done = await forget_customer(world.services.sessions, customer_id, world.clock())

    assert case_id in done.cases
    assert SUMMARY not in await everything_stored(world)
    assert (await world.case(case_id)).draft == {"customer": customer_id}
