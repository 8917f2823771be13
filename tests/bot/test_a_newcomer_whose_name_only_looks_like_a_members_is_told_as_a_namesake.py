"""Someone who joins from an invite link under a name that only looks like a member's — a
Cyrillic "М" for the Latin "M" of "Minh", an invisible joiner in it, a full-width letter —
is told to whoever made the invite, as one of the very same name is, and /staff offers to
remove that account: on screen the two read alike, and a newcomer could pass for a
supervisor. Before, only a name equal letter for letter (marks and case aside) was told."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World

pytestmark = pytest.mark.asyncio

SECOND = 3001
TOLD = "has just joined as supervisor from an invite link, and someone of the same name"
LOOK_ALIKE = {
    "a Cyrillic M": "\u041cinh",
    "a zero-width non-joiner": "Mi\u200cnh",
    "a full-width M": "\uff2dinh",
}


@pytest.mark.parametrize("name", list(LOOK_ALIKE.values()), ids=list(LOOK_ALIKE))
async def test_a_newcomer_whose_name_only_looks_like_a_members_is_told_and_may_be_removed(
    world: World, name: str
) -> None:
    await world.minh.send("/invite supervisor")
    link = world.minh.last_text.split("start=")[1].split()[0]
    await Person(world.app, world.api, SECOND, name, "en").send(f"/start {link}")
    await world.scheduler.tick()
    assert TOLD in world.minh.last_text, world.minh.last_text
    await world.minh.send("/staff")
    listing = world.api.last(world.minh.chat_id)
    assert any((b.callback_data or "").startswith("s:") for row in listing.buttons for b in row), (
        listing.buttons
    )


async def test_a_newcomer_whose_name_truly_differs_is_told_to_nobody(world: World) -> None:
    await world.minh.send("/invite supervisor")
    link = world.minh.last_text.split("start=")[1].split()[0]
    await Person(world.app, world.api, SECOND, "Mai", "en").send(f"/start {link}")
    before = len(world.minh.messages)
    await world.scheduler.tick()
    assert len(world.minh.messages) == before
