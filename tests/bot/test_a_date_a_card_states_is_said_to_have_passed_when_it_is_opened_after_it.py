"""A card opened after a date it states — the follow-up due, the fix promised before the
follow-up is booked, the day a review waits and sees until — says that date has passed
(overdue, come and gone) instead of stating it as still to come; opened before it, the card
states it as to come. In both languages, for a complaint and a problem review."""

from __future__ import annotations

import re

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import (
    at_the_promised_fix_question,
    compensate,
    label,
    open_case,
    walk_to_compensate,
    words,
)

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}


def says(person: Person, key: str, param: str, card: str) -> bool:
    """Whether `card` holds the words of `key`, whatever date they state."""
    pieces = words(person, key, **{param: "\x00"}).split("\x00")
    return re.search("[^\n]*?".join(map(re.escape, pieces)), card) is not None


async def card_opened_from_the_list(person: Person, case_id: int) -> str:
    await person.send("/cases")
    await person.press(f"#{case_id}")
    return person.last_text


async def states_then_says_passed(
    world: World, person: Person, case_id: int, key: str, param: str, days: int
) -> None:
    card = await card_opened_from_the_list(person, case_id)
    assert says(person, key, param, card)
    assert not says(person, f"{key}_passed", param, card)
    world.clock.advance(days=days)
    card = await card_opened_from_the_list(person, case_id)
    assert says(person, f"{key}_passed", param, card)
    assert not says(person, key, param, card)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_follow_up_due_that_has_come_is_said_overdue(world: World, locale: str) -> None:
    person: Person = getattr(world, WHO[locale])
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    await person.press(label(person, "Tomorrow"))
    await states_then_says_passed(world, person, case_id, "case.follow_up_due", "when", 2)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_fix_promised_for_a_time_gone_by_is_said_passed(world: World, locale: str) -> None:
    person: Person = getattr(world, WHO[locale])
    case_id = await open_case(person)
    await at_the_promised_fix_question(person)
    await person.press(label(person, "Tomorrow"))  # the fix promised for tomorrow 09:00
    await person.send("Cô ấy cần bánh cho sinh nhật con")
    await compensate(person)
    await states_then_says_passed(world, person, case_id, "case.follow_up_after_fix", "fix", 2)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_wait_and_see_whose_day_has_come_is_said_passed(world: World, locale: str) -> None:
    person: Person = getattr(world, WHO[locale])
    await add_customer(world, "Trần Minh")
    case_id = await open_review(person, "Trần Minh")
    await person.send("Gọi điện hỏi lại nhu cầu")
    await person.press(label(person, "Wait and see"))
    await person.press(label(person, "In a week"))
    await states_then_says_passed(world, person, case_id, "case.waiting_until", "when", 8)
