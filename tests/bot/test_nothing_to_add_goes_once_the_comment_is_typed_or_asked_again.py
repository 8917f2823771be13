"""A supervisor's "Nothing to add", under the question that asks for a comment on their
decision, goes from its message as soon as the comment is typed, or left out, or the question
is asked again below (one way to answer it: the newest); before, it stayed, and said it was
out of date only once pressed.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World
from tests.bot.test_an_old_nothing_to_add_pressed_once_the_comment_was_typed_says_so import (
    APPROVE,
    NOTHING_TO_ADD,
    supervisor_in,
)
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio


def labels_now(world: World, person: Person, message: SentMessage) -> list[str]:
    shown = world.api.find_message(person.chat_id, message.message_id)
    assert shown is not None
    return shown.button_labels


async def asked_for_a_comment(world: World, language: str) -> tuple[Person, SentMessage]:
    supervisor = await supervisor_in(world, language)
    await asking_approval(world.lan)
    await supervisor.press(APPROVE[language])
    prompt = world.api.last_with_buttons(supervisor.chat_id)
    assert prompt is not None
    assert any(NOTHING_TO_ADD[language] in label for label in prompt.button_labels)
    return supervisor, prompt


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_nothing_to_add_goes_once_the_comment_is_typed(world: World, language: str) -> None:
    supervisor, prompt = await asked_for_a_comment(world, language)
    await supervisor.send("Well handled")
    assert labels_now(world, supervisor, prompt) == []


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_nothing_to_add_goes_from_the_question_asked_again_below(
    world: World, language: str
) -> None:
    supervisor, prompt = await asked_for_a_comment(world, language)
    await supervisor.send_photo()  # not a comment: asked again, with its own button
    again = world.api.last_with_buttons(supervisor.chat_id)
    assert again is not None
    assert again.message_id != prompt.message_id
    assert labels_now(world, supervisor, prompt) == []
    await supervisor.press(NOTHING_TO_ADD[language], again)
    assert labels_now(world, supervisor, again) == []
