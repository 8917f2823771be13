"""A hand-over changes the case's version: every card of it drawn before would answer it as
it stood. After one, the only card of it that answers is the new owner's, the notice that
hands it to them (then their card, as they carry it on):

- a card the new owner had already (a supervisor who had carried it on in their own chat)
  loses its buttons, the notice below it carries the case now;
- the former owner's card loses its buttons, whoever handed the case over (another
  supervisor, or one who took it themselves);
- the card of a supervisor who handed it over from their own card says it is carried on in
  another chat, with only ▶ Carry on with this case.

Before, each of them kept the buttons it was drawn with: pressed, they only said they were
out of date.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_supervisor_hands_a_case_over import HAND_OVER, TAKE_IT, hand_over
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.test_every_card_of_a_case_someone_else_moved_on_offers_no_button_drawn_before import (  # noqa: E501
    carries_on,
    stale_buttons,
)
from tests.bot.walk import case_buttons, label, open_case, words

pytestmark = pytest.mark.asyncio


async def alive(world: World, person: Person, case_id: int) -> list[str]:
    """The buttons of the case's current version still showing in the person's chat."""
    version = (await world.case(case_id)).version
    return [text for text, drawn, _ in case_buttons(person, case_id) if drawn == version]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_handed_to_a_supervisor_who_had_carried_it_on_leaves_them_one_card(
    world: World, language: str
) -> None:
    owner, taker = await staff_and_supervisor(world, language)
    giver = await quang(world) if language == "en" else world.minh
    case_id = await open_case(owner)
    await carries_on(taker, case_id)
    older = world.api.last_with_buttons(taker.chat_id)
    assert older is not None
    await hand_over(giver, case_id, f"👤 {taker.first_name}")
    version = (await world.case(case_id)).version
    assert stale_buttons(taker, case_id, version) == []
    shown = world.api.find_message(taker.chat_id, older.message_id)
    assert shown is not None
    assert shown.buttons == []
    assert stale_buttons(owner, case_id, version) == []
    await taker.press(label(taker, "Calm"), taker.messages[-1])  # the notice's card answers
    assert (await world.case(case_id)).draft.get("reaction") == "calm"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_a_supervisor_takes_themselves_leaves_its_former_owner_no_card_alive(
    world: World, language: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, language)
    case_id = await open_case(owner)
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(HAND_OVER[language])
    await supervisor.press(TAKE_IT[language])
    case = await world.case(case_id)
    assert stale_buttons(owner, case_id, case.version) == []
    assert await alive(world, owner, case_id) == []
    await supervisor.press(label(supervisor, "Calm"))
    assert (await world.case(case_id)).draft.get("reaction") == "calm"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisor_who_hands_a_case_over_from_their_card_is_left_the_way_back(
    world: World, language: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, language)
    taker = world.bernd
    case_id = await open_case(owner)
    await carries_on(supervisor, case_id)
    card = world.api.last_with_buttons(supervisor.chat_id)
    assert card is not None
    await supervisor.press(HAND_OVER[language], card)
    await supervisor.press(f"👤 {taker.first_name}")
    left = world.api.find_message(supervisor.chat_id, card.message_id)
    assert left is not None
    assert left.button_labels == [words(supervisor, "button.carry_on")]
    assert words(supervisor, "case.carried_on_elsewhere") in left.plain_text
    version = (await world.case(case_id)).version
    for person in (supervisor, owner):
        assert stale_buttons(person, case_id, version) == []
    assert await alive(world, owner, case_id) == []  # handed away from them
    assert await alive(world, taker, case_id) != []
