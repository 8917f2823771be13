"""The provider staff type as move 5's alternative, typed as a sentence with its full stop
("Công ty Ánh Dương."), is said once the script shows it again, to a person or to a
business, in either language, with the script's own stop only: "tham khảo Công ty Ánh Dương
ạ.", "you could try Ánh Dương Company. If it helps…". Before, the script ended the sentence
twice: "Công ty Ánh Dương. ạ.", "Ánh Dương Company.. If it helps…". The record keeps what
was typed."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import (
    add_customer,
    climb_to_decision,
    offer_goodwill,
    open_review,
)
from tests.bot.walk import label

pytestmark = pytest.mark.asyncio

#: The alternative typed, and how each kind of customer hears it, in each language.
TYPED = {"vi": "Công ty Ánh Dương.", "en": "Ánh Dương Company."}
SAID = {
    ("vi", "individual"): "anh/chị có thể tham khảo Công ty Ánh Dương ạ. Nếu",
    ("vi", "business"): "quý công ty có thể tham khảo Công ty Ánh Dương. Chúng tôi",
    ("en", "individual"): "you could try Ánh Dương Company. If it helps",
    ("en", "business"): "you may wish to consider Ánh Dương Company. We will",
}
#: The customer of each kind.
CUSTOMERS = {"individual": "Nguyễn Thị Mai", "business": "Công ty Hòa Bình"}


async def at_move_5(world: World, locale: str, kind: str) -> Person:
    """A termination of the customer of `kind` approved and walked to move 5's question."""
    person, supervisor = await staff_and_supervisor(world, locale)
    name = CUSTOMERS[kind]
    await add_customer(world, name, kind)
    await open_review(person, name)
    await climb_to_decision(person)
    await supervisor.press(label(supervisor, "Approve"))
    await person.press(label(person, "Open case"))
    if kind == "business":  # the renewal date, then the five moves, with no "Ready"
        await person.send("31/03/2027")
        for typed in ("Thanked", "Listened"):
            await person.send(typed)
        await person.press(label(person, "Refund the last period"))
        await person.send("100k")
    else:
        await offer_goodwill(person, "100k")
    await person.send("She accepted")
    await person.send("Sorry")
    await person.press(label(person, "Another option"))
    return person


@pytest.mark.parametrize("kind", list(CUSTOMERS))
@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_an_alternative_typed_with_a_full_stop_is_said_with_the_scripts_own(
    world: World, locale: str, kind: str
) -> None:
    person = await at_move_5(world, locale, kind)
    await person.send(TYPED[locale])
    said = person.last_text
    assert SAID[locale, kind] in said, said
    assert [twice for twice in (". ạ", "..") if twice in said] == [], said
