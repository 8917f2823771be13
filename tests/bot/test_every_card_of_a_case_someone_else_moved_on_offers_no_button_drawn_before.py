"""A case's card may be in several chats at once: its owner's, and a supervisor's who carried
it on in their own chat (`/case N`, ▶ Carry on), or two supervisors'. Whoever acts, no other
card of it keeps buttons drawn for the case as it stood before:

- a supervisor's card left behind (its owner, or another supervisor, drew the case's card
  in their own chat since) asks nothing any more, says it has been carried on in another
  chat since, and offers only ▶ Carry on with this case, which brings it back where it
  stands;
- its owner's card, when a supervisor answered a question within a step (no notice rings
  for that), is drawn where the case stands, in place, with no new message.

Before, each kept the buttons it was drawn with until pressed: the press then only said it
was out of date and drew the card again.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.walk import case_buttons, label, open_case, walk_to_fix, words

pytestmark = pytest.mark.asyncio


def stale_buttons(person: Person, case_id: int, version: int) -> list[str]:
    """The buttons in the person's chat that answer the case as it stood before `version`
    (not the hand-over of a timeline: that one opens a list, and says so once pressed)."""
    return [
        text
        for text, drawn, verb in case_buttons(person, case_id)
        if drawn not in (0, version) and verb != "h"
    ]


async def carries_on(supervisor: Person, case_id: int) -> None:
    """The supervisor opens the case from `/case N` and carries it on in their own chat."""
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(words(supervisor, "button.carry_on"))


async def left_saying_so(world: World, supervisor: Person, card_id: int, case_id: int) -> None:
    """The supervisor's card asks nothing, says the case has been carried on in another
    chat since, and offers only the way back into the case; nothing in their chat answers
    the case as it stood before."""
    card = world.api.find_message(supervisor.chat_id, card_id)
    assert card is not None
    assert "➡️" not in card.plain_text  # its question is not asked there any more
    assert words(supervisor, "case.carried_on_elsewhere") in card.plain_text
    assert card.button_labels == [words(supervisor, "button.carry_on")]
    assert stale_buttons(supervisor, case_id, (await world.case(case_id)).version) == []


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisors_card_is_left_saying_so_once_the_owner_carries_the_case_on(
    world: World, language: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, language)
    case_id = await open_case(owner)
    await carries_on(supervisor, case_id)
    card = world.api.last_with_buttons(supervisor.chat_id)
    assert card is not None
    await walk_to_fix(owner)  # the owner carries on in their own chat
    await left_saying_so(world, supervisor, card.message_id, case_id)
    await supervisor.press(words(supervisor, "button.carry_on"), card)  # back, where it stands
    assert (await world.case(case_id)).state == "fix"
    await supervisor.send("Re-delivered by our own van")
    assert (await world.case(case_id)).draft.get("action") == "Re-delivered by our own van"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisors_card_is_left_saying_so_once_another_supervisor_carries_it_on(
    world: World, language: str
) -> None:
    owner, first = await staff_and_supervisor(world, language)
    second = await quang(world) if language == "en" else world.minh
    case_id = await open_case(owner)
    await carries_on(first, case_id)
    card = world.api.last_with_buttons(first.chat_id)
    assert card is not None
    await carries_on(second, case_id)
    await walk_to_fix(second)  # the second supervisor does step 1 in their own chat
    assert (await world.case(case_id)).state == "fix"
    await left_saying_so(world, first, card.message_id, case_id)
    assert stale_buttons(owner, case_id, (await world.case(case_id)).version) == []


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_owners_card_follows_a_question_a_supervisor_answered_within_a_step(
    world: World, language: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, language)
    case_id = await open_case(owner)
    card = world.api.last_with_buttons(owner.chat_id)
    assert card is not None
    await carries_on(supervisor, case_id)
    before = len(owner.messages)
    await supervisor.press(label(supervisor, "Calm"))  # within step 1: the note is asked next
    case = await world.case(case_id)
    assert case.state == "apologise"
    assert case.draft.get("reaction") == "calm"
    assert len(owner.messages) == before  # quietly: no notice for a question within a step
    assert stale_buttons(owner, case_id, case.version) == []
    drawn = [text for text, version, _ in case_buttons(owner, case_id) if version == case.version]
    assert any(label(owner, "Skip") in b for b in drawn)  # the note asked, on the owner's card
    await owner.press(label(owner, "Skip"), card)
    assert (await world.case(case_id)).state == "fix"


CANCELLED = {"en": "Cancelled", "vi": "Đã hủy"}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisors_card_of_a_case_its_owner_cancelled_says_it_ended(
    world: World, language: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, language)
    case_id = await open_case(owner)
    await carries_on(supervisor, case_id)
    card = world.api.last_with_buttons(supervisor.chat_id)
    assert card is not None
    await owner.press(words(owner, "button.cancel_reason"))
    await owner.send("Opened by mistake")
    assert (await world.case(case_id)).state == "cancelled"
    shown = world.api.find_message(supervisor.chat_id, card.message_id)
    assert shown is not None
    assert CANCELLED[language] in shown.plain_text  # in its reader's words, as it ended
    assert shown.buttons == []
