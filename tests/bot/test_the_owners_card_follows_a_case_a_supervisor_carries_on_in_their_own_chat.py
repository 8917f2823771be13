"""A supervisor who carries someone's case on in their own chat (opened with `/case N`, ▶
Carry on) draws its card there; the owner's card stays in the owner's chat, and follows
whatever the supervisor does to the case: a step done (see test_an_owner_learns_when_a_
supervisor_works_their_case), a step taken back, the case cancelled. Each time the owner's
card is drawn again where the case stands, with the buttons that now apply (none, once it
has ended), above the notice that tells them.

Before, only the card drawn last was known: once the supervisor had drawn it, the owner's
card kept the step the case had left, its buttons alive, until pressed; cancelled, the case
left it so for good.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_an_owner_learns_when_a_supervisor_works_their_case import (
    supervisor_carries_on,
)
from tests.bot.test_the_owners_card_shows_where_the_case_stands_after_a_verdict import (
    WITHDRAW,
    stale_buttons,
)
from tests.bot.walk import label, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

CANCELLED = {"en": "Cancelled", "vi": "Đã hủy"}


def owner_reading(world: World, language: str) -> Person:
    return world.lan if language == "en" else world.hoa


def shown(world: World, owner: Person, card_id: int) -> str:
    message = world.api.find_message(owner.chat_id, card_id)
    assert message is not None
    return message.plain_text


async def stands_true(world: World, owner: Person, case_id: int, card_id: int) -> None:
    """The owner's card shows the step the case is at, below the notice's message id, and no
    button of the case as it stood before is alive in their chat."""
    case = await world.case(case_id)
    title = world.services.scripts.get(owner.language_code, f"step.{case.state}.title")
    assert title in shown(world, owner, card_id)
    assert card_id < owner.last.message_id  # the notice came below it: the phone rang
    assert stale_buttons(owner, case_id, case.version) == []
    labels = [label for m in owner.messages if not m.deleted for label in m.button_labels]
    assert WITHDRAW[owner.language_code] not in labels


async def carried_on_by_a_supervisor(world: World, language: str) -> tuple[Person, int, int]:
    """The owner's case at step 2, their card of it, and Minh carrying it on in his chat."""
    owner = owner_reading(world, language)
    case_id = await open_case(owner)
    await walk_to_fix(owner)
    card_id = await world.card_message_id(case_id)
    assert world.api.find_message(owner.chat_id, card_id) is not None
    await supervisor_carries_on(world, case_id)
    assert await world.card_message_id(case_id) != card_id  # drawn last in Minh's chat
    return owner, case_id, card_id


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_step_taken_back_by_a_supervisor_in_their_own_chat_redraws_the_owners_card(
    world: World, language: str
) -> None:
    owner, case_id, card_id = await carried_on_by_a_supervisor(world, language)
    await world.minh.press("↩ Go back a step")
    assert (await world.case(case_id)).state == "apologise"
    await stands_true(world, owner, case_id, card_id)
    await owner.press(label(owner, "Calm"))  # carried on from it, in place
    assert (await world.case(case_id)).draft.get("reaction") == "calm"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_cancelled_by_a_supervisor_in_their_own_chat_ends_the_owners_card(
    world: World, language: str
) -> None:
    owner, case_id, card_id = await carried_on_by_a_supervisor(world, language)
    await world.minh.press("✖ Cancel (mistake)")
    await world.minh.send("Duplicate of case 7")
    assert (await world.case(case_id)).state == "cancelled"
    assert CANCELLED[language] in shown(world, owner, card_id)
    assert stale_buttons(owner, case_id, 0) == []  # nothing answers an ended case
