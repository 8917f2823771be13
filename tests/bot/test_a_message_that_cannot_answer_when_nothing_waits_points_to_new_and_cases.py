"""A sticker, a location or a contact card sent when nothing waits for an
answer (no case asked anything, or the case waits on a supervisor): nothing is saved, and the
reply says where to go — /new, /cases — in the reader's language. Before, it told the newcomer
to type text or send a photo, both of which are refused then too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.walk import asking_approval, words

pytestmark = pytest.mark.asyncio

Sending = Callable[[Person], Awaitable[int]]
SENDINGS: dict[str, Sending] = {
    "sticker": lambda p: p.send_sticker(),
    "location": lambda p: p.send_location(10.77, 106.70),
    "contact": lambda p: p.send_contact("0903123456", "Mai"),
}


def points_the_way(person: Person) -> None:
    reply = person.last_text
    assert reply == words(person, "error.unsupported_message")
    assert "/new" in reply
    assert "/cases" in reply


@pytest.mark.parametrize("sent", SENDINGS)
@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_message_sent_with_no_case_open_points_to_new_and_cases(
    world: World, who: str, sent: str
) -> None:
    person: Person = getattr(world, who)
    await SENDINGS[sent](person)
    points_the_way(person)


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_sticker_sent_while_the_case_waits_on_a_supervisor_points_to_new_and_cases(
    world: World, locale: str
) -> None:
    staff, _ = await staff_and_supervisor(world, locale)
    await asking_approval(staff)
    await staff.send_sticker()
    points_the_way(staff)
