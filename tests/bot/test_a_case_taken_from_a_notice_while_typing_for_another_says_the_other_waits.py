"""A supervisor in the middle of typing for a case of their own is told that someone left
with a case still open, and takes it (🔁 Hand over → 🙋 Take it myself): the case taken is
drawn, and what they type next answers it. Nothing used to say so: the question they were
answering was left without a word, and the text they had typed for it was refused as an
answer to the taken case's buttons. Now, as when a case is opened from a list, they are told
the other case stays at its question, with the way back. Handing it to someone else leaves
their typing where it was.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_reminders import case_waiting_for_follow_up
from tests.bot.walk import open_case, walk_to_fix, words

pytestmark = pytest.mark.asyncio

TYPED = "Exchanged the shirt for the right colour"


async def told_someone_left_while_typing(world: World) -> int:
    """Lan leaves with a case waiting for its follow-up while Minh's own case asks what was
    done to fix it; Minh is told. Return Minh's case."""
    await case_waiting_for_follow_up(world.lan)
    typing = await open_case(world.minh, "Trần Văn Nam", "Sai màu áo")
    await walk_to_fix(world.minh)
    await deactivate(world, world.lan)
    assert (await world.scheduler.tick()).sent == 1
    await world.minh.press("🔁 Hand over #1")
    return typing


async def test_taking_a_case_left_behind_says_the_question_being_typed_for_waits(
    world: World,
) -> None:
    typing = await told_someone_left_while_typing(world)
    await world.minh.press("🙋 Take it myself")
    said = [m.plain_text for m in world.minh.messages[-3:]]
    assert words(world.minh, "aside.field", case=typing) in said


async def test_handing_a_case_left_behind_to_someone_leaves_the_typing_where_it_was(
    world: World,
) -> None:
    typing = await told_someone_left_while_typing(world)
    await world.minh.press("👤 Hòa")
    await world.minh.send(TYPED)
    assert (await world.case(typing)).draft.get("action") == TYPED
