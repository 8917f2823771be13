"""A careless member of staff types the quick time's label ("3 ngày nữa", "In a week",
"2 giờ nữa") instead of pressing it: the follow-up, a promised fix and a call back after no
answer are booked as the button would have booked them, in both languages — never "could
not read that date"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest

from flows.model import Case
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import (
    at_the_promised_fix_question,
    choose,
    compensate,
    open_case,
    walk_to_compensate,
    words,
)

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}


async def at_the_follow_up(person: Person) -> None:
    await walk_to_compensate(person)
    await compensate(person)


async def at_the_call_back(person: Person) -> None:
    await at_the_follow_up(person)
    await choose(person, "tomorrow")
    await choose(person, "unreachable")


Walk = Callable[[Person], Awaitable[None]]
Booked = Callable[[Case], datetime | None]
QUESTIONS: dict[str, tuple[Walk, str, Booked]] = {
    "follow-up in 3 days": (at_the_follow_up, "in_3_days", lambda c: c.follow_up_due_at),
    "follow-up in a week": (at_the_follow_up, "in_a_week", lambda c: c.follow_up_due_at),
    "fix in 2 hours": (at_the_promised_fix_question, "in_2h", lambda c: c.promised_fix_at),
    "call back in 1 hour": (at_the_call_back, "in_1h", lambda c: c.follow_up_due_at),
    "call back in 3 days": (at_the_call_back, "in_3_days", lambda c: c.follow_up_due_at),
}


async def answered(world: World, person: Person, question: str, *, typed: bool) -> Case:
    """A new complaint walked to `question`, its quick time typed or pressed."""
    walk, quick, _ = QUESTIONS[question]
    case_id = await open_case(person)
    await walk(person)
    if typed:
        await person.send(words(person, f"option.{quick}"))
        assert words(person, "error.bad_date") not in person.last_text
    else:
        await choose(person, quick)
    return await world.case(case_id)


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("question", list(QUESTIONS))
async def test_a_quick_time_typed_as_its_button_says_is_booked_as_pressed(
    world: World, locale: str, question: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    typed = await answered(world, person, question, typed=True)
    pressed = await answered(world, person, question, typed=False)
    booked = QUESTIONS[question][2]
    assert typed.state == pressed.state
    assert booked(typed) is not None
    assert booked(typed) == booked(pressed)
