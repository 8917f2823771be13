"""A request for approval says the staff limit it was asked above, in the request, its
reminders and the list of requests, whatever the limit is set to since: a supervisor who
decides after the limit changed reads what applied, and is told it has changed.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.test_review_conversation import approved_termination, offer_goodwill
from tests.bot.test_the_compensation_words_fit_what_the_case_recorded import set_limit
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

ASKED_ABOVE = {"en": "(staff limit 500,000 VND)", "vi": "(hạn mức nhân viên 500.000 VND)"}
CHANGED = {
    "en": "Since this was asked, the staff limit has been changed to 5,000,000 VND.",
    "vi": "Sau khi đề nghị này được gửi, hạn mức nhân viên đã được đổi thành 5.000.000 VND.",
}


async def reader(world: World, language: str) -> Person:
    """The supervisor who reads the request, in `language`."""
    return world.minh if language == "en" else await quang(world)


def read_right(text: str, language: str) -> None:
    assert ASKED_ABOVE[language] in text, text
    assert CHANGED[language] in text, text
    assert "5,000,000 VND)" not in text
    assert "5.000.000 VND)" not in text


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("subject", ["compensation", "goodwill"])
async def test_a_request_read_after_the_limit_changed_says_the_limit_it_was_asked_above(
    world: World, language: str, subject: str
) -> None:
    supervisor = await reader(world, language)
    if subject == "compensation":
        case_id = await asking_approval(world.lan, "2tr")
    else:
        case_id = await approved_termination(world)
        await offer_goodwill(world.lan, "2tr")
    first = next(m for m in reversed(supervisor.messages) if f"#{case_id}" in m.plain_text)
    assert ASKED_ABOVE[language] in first.plain_text
    assert CHANGED[language] not in first.plain_text  # the same limit: nothing to say
    set_limit(world, 5_000_000)
    await supervisor.send("/approvals")
    await supervisor.press(f"#{case_id}")
    read_right(supervisor.last_text, language)
    world.clock.advance(hours=5)
    await world.scheduler.tick()  # the request's reminder
    read_right(supervisor.last_text, language)
