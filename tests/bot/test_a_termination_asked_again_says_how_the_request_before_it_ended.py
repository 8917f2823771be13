"""A termination asked for again, after a supervisor declined the first request (with a
comment, or none) or its owner withdrew it, tells the supervisor reading the second request
how the first one ended, who ended it and what they said — in both languages.

Before, the ladder on the second request listed the first one ("Decision asked for at once,
on documented grounds") as if it were one more rung climbed, with no word of the decline or
the withdrawal: a supervisor, maybe another one, read two requests and no verdict, and never
the comment that sent the review back to the ladder.
"""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_termination_declined_or_withdrawn_keeps_the_caution_its_next_request_shows import (  # noqa: E501
    decided_at_once,
)
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import label, words

pytestmark = pytest.mark.asyncio

COMMENT = "Hãy thử thương lượng lại giá trước"


async def declined_with_a_comment(person: Person, supervisor: Person) -> str:
    await supervisor.press(label(supervisor, "Decline"))
    await supervisor.send(COMMENT)
    await person.press(label(person, "Open case"))
    return supervisor.first_name


async def declined_without_a_word(person: Person, supervisor: Person) -> str:
    await supervisor.press(label(supervisor, "Decline"))
    await supervisor.press(label(supervisor, "Nothing to add"))
    await person.press(label(person, "Open case"))
    return supervisor.first_name


async def withdrawn(person: Person, supervisor: Person) -> str:
    await person.press(words(person, "button.withdraw"))
    return person.first_name


ENDINGS = {
    "declined, a comment": (declined_with_a_comment, "review.ladder_declined"),
    "declined, no comment": (declined_without_a_word, "review.ladder_declined"),
    "withdrawn": (withdrawn, "review.ladder_withdraw"),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_second_request_names_who_ended_the_first_and_what_they_said(
    world: World, locale: str, ending: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Đỗ Văn Hải")
    case_id = await open_review(person, "Đỗ Văn Hải")
    await person.press(label(person, "Incident"))
    await person.press(label(person, "Abuse of staff"))
    await person.press(label(person, "Today"))
    await person.send("Shouted at the cashier")
    await decided_at_once(person)
    end, key = ENDINGS[ending]
    by = await end(person, supervisor)
    assert (await world.case(case_id)).state == Rung.reassess
    await decided_at_once(person)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    request = supervisor.last_text
    asked = words(supervisor, "event.straight_to_decision")
    waiting = words(supervisor, "step.awaiting_decision.title")
    ended = f"• {waiting} — {words(supervisor, key, by=by)}"
    lines = request.splitlines()
    said = [line for line in lines if line.startswith(ended)]
    assert len(said) == 1, request  # once, where it happened: between the two requests
    first, second = (i for i, line in enumerate(lines) if line.endswith(f"— {asked}"))
    assert first < lines.index(said[0]) < second
    if ending == "declined, a comment":
        assert said[0] == f"{ended}: {COMMENT}"  # what sent the review back, as typed
    else:
        assert said[0] == ended
