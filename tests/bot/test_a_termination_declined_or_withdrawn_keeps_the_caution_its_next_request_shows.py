"""A termination asked for at once on a long-standing customer's first rung, then declined by
a supervisor or withdrawn by its owner, goes back to that rung with the caution as it was
answered there: the next request records it as its summary shows it, and the caution is not
asked twice — in both languages.

Before, the decline or the withdrawal dropped the caution's answer from the rung, yet the
next request's summary still showed it: the timeline's second request said no outlook while
the supervisor was told one.
"""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import label, words

pytestmark = pytest.mark.asyncio


async def decided_at_once(person: Person) -> None:
    """Ask for the termination at once, on the incident documented."""
    await person.press(label(person, "Decide now"))
    await person.press(label(person, "Abuse or mistreatment of staff"))
    await person.press(label(person, "Done"))
    await person.send("See the incident")
    await person.press(label(person, "Done"))


async def declined(person: Person, supervisor: Person) -> None:
    await supervisor.press(label(supervisor, "Decline"))
    await person.press(label(person, "Open case"))


async def withdrawn(person: Person, supervisor: Person) -> None:
    await person.press(words(person, "button.withdraw"))


@pytest.mark.parametrize("kind", ["individual", "business"])
@pytest.mark.parametrize("undo", [declined, withdrawn], ids=["declined", "withdrawn"])
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_caution_answered_stands_on_the_rung_and_in_the_next_request(
    world: World, locale: str, undo: object, kind: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Bà Năm", kind=kind, since="2012-05-01")
    case_id = await open_review(person, "Bà Năm")
    await person.press(label(person, "Incident"))
    await person.press(label(person, "Abuse of staff"))
    await person.press(label(person, "Today"))
    await person.send("Shouted at the cashier")
    await person.press(label(person, "It will not change"))
    await decided_at_once(person)
    assert callable(undo)
    await undo(person, supervisor)
    assert (await world.case(case_id)).state == Rung.reassess
    assert words(person, "field.caution.prompt") not in person.last_text  # not asked twice
    await decided_at_once(person)
    outlook = words(supervisor, "review.caution_will_not_change")
    assert outlook in supervisor.last_text  # the summary says it…
    asked = [e for e in await world.events(case_id) if e.kind == "straight_to_decision"]
    assert [e.data.get("caution") for e in asked] == ["will_not_change"] * 2  # …as recorded
    await person.send(f"/case {case_id}")
    answered = f"{words(person, 'field.caution.label')}: {words(person, 'option.will_not_change')}"
    assert person.last_text.count(answered) == 2
