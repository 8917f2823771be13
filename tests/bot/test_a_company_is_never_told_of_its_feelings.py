"""A business whose contact person nobody has named is addressed as the company itself, and a
company has no feelings, moods, health or family: its work is held up. Read on every card of
a complaint walked through its five steps (the compensation approved, the follow-up agreed,
stepped back to and agreed again, the call back), and on a check-in and an exit interview,
in both languages (every script in every variant: tests/unit/test_words.py)."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import (
    COMPANY,
    complaint_words,
    words_on,
)
from tests.bot.test_review_conversation import add_customer
from tests.unit.test_words import PERSONAL

pytestmark = pytest.mark.asyncio

LOCALE = {"lan": "en", "hoa": "vi"}
BACK = {"lan": "Back a step", "hoa": "Lùi một bước"}
CHECK_IN = {"lan": "Check-in call", "hoa": "Hỏi thăm khách"}


def personal(who: str, said: str) -> list[str]:
    return [w for w in PERSONAL[LOCALE[who]] if w in said.lower()]


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_no_card_of_a_complaint_by_a_company_speaks_of_its_feelings(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    said = await complaint_words(world, person, who)  # ends at the call back
    await person.press(BACK[who])  # to step 5 again
    said.append(words_on(person, who))
    assert len(said) == 8
    assert all(said), said
    for words in said:
        assert not personal(who, words), words


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_check_in_and_an_exit_interview_of_a_company_speak_of_no_feelings(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await add_customer(world, COMPANY, "business")
    await person.send("/customer hoa binh")
    await person.press(CHECK_IN[who])
    check_in = words_on(person, who)
    await person.send("/exit")
    await person.send(COMPANY)
    await person.press(COMPANY)
    interview = words_on(person, who)
    for words in (check_in, interview):
        assert words
        assert not personal(who, words), words
