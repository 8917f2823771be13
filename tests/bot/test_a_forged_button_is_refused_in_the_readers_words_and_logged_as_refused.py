"""A button whose data the bot never drew (forged, cut short, an id no case could have, a
language it does not speak) is refused in a pop-up in the reader's language, changes
nothing, and its update's log line names the refusal (`status=refused:error.bad_button`),
as a refusal raised by a use case is named. Before, such a press was logged `status=ok`, as
if something had been done.
"""

from __future__ import annotations

import logging

import pytest

from tests.bot.conftest import World
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

FORGED = ("k:-1:0:t", "k:99999999999:0:t", "k:{c}:{v}:z", "l:xx", "u:1:delete", "p:o:-:x::::0")


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("template", FORGED)
async def test_a_forged_button_is_refused_in_the_readers_words_and_logged_as_refused(
    world: World, caplog: pytest.LogCaptureFixture, language: str, template: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    case_id = await open_case(person)
    case = await world.case(case_id)
    caplog.set_level(logging.INFO, logger="bot.updates")
    caplog.clear()  # the case's opening may be logged too, if an earlier test set the level
    answers = len(world.api.answers)
    await person.press_data(template.format(c=case_id, v=case.version))
    [answer] = world.api.answers[answers:]
    assert answer.get("text") == words(person, "error.bad_button")
    assert answer.get("show_alert") is True
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.updates"]
    assert f"user={person.chat_id}" in line
    assert "status=refused:error.bad_button" in line
    assert (await world.case(case_id)).version == case.version  # nothing changed
