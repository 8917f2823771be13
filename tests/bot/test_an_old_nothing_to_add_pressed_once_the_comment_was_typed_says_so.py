"""A supervisor's "Nothing to add", pressed on the prompt of a decision whose comment was
typed since (kept by a client: the button goes once the comment is typed; before or after a
restart), says nothing waits for a comment now, changes nothing and leaves no button.

Before, it answered "Done. No comment added." of a decision whose comment had just been
logged and passed on: a careless press on an old message was told something untrue.
"""

from __future__ import annotations

import pytest

from bot.callbacks import NO_COMMENT
from flows.scripts import plain
from standin.inprocess import Person
from tests.bot.conftest import World, registered_thao, restarted
from tests.bot.test_every_careless_step_is_answered_in_the_readers_language import snapshot
from tests.bot.walk import SCRIPTS, asking_approval

pytestmark = pytest.mark.asyncio

APPROVE = {"en": "Approve", "vi": "Duyệt"}
NOTHING_TO_ADD = {"en": "Skip, nothing to add", "vi": "Thôi, không nhắn thêm"}


async def supervisor_in(world: World, language: str) -> Person:
    return world.minh if language == "en" else await registered_thao(world)


@pytest.mark.parametrize("restart", [False, True], ids=["same process", "after a restart"])
@pytest.mark.parametrize("language", ["en", "vi"])
async def test_nothing_to_add_once_the_comment_was_typed_changes_nothing_and_says_so(
    world: World, database_url: str, language: str, restart: bool
) -> None:
    supervisor = await supervisor_in(world, language)
    await asking_approval(world.lan)
    await supervisor.press(APPROVE[language])
    prompt = world.api.last_with_buttons(supervisor.chat_id)
    assert prompt is not None
    await supervisor.send("Well handled")  # the comment, logged and passed on
    await world.work_done()  # the other supervisor's copy of the request redrawn, then gone
    before, sent = await snapshot(world), len(supervisor.messages)
    if restart:
        async with restarted(world, database_url, supervisor):
            await supervisor.press_data(NO_COMMENT, prompt.message_id)
    else:
        await supervisor.press_data(NO_COMMENT, prompt.message_id)
    assert await snapshot(world) == before
    answer = str(world.api.answers[-1].get("text"))
    assert answer == plain(SCRIPTS.get(language, "approval.no_comment_waiting"))
    assert len(supervisor.messages) == sent  # no "No comment added" of a comment typed
    shown = world.api.find_message(supervisor.chat_id, prompt.message_id)
    assert shown is not None
    assert not shown.button_labels
