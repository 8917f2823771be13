"""A supervisor who opened a case, handed it away and carried it on in their own chat, then
cancelled it, sees it ended once: on the card in view, not also on the message that card
moved down from (it shows only the steps it logged), and nothing the bot took away is
edited. The case's place in its owner's chat follows the card as it moves down there, even
once the chat is no longer its owner's."""

from __future__ import annotations

import json
from typing import Any

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_supervisor_hands_a_case_over import hand_over
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.walk import open_case, walk_to_fix, words

pytestmark = pytest.mark.asyncio


def refusals(world: World) -> list[str]:
    """Every Bot API call the stand-in refuses from now on, as it refused it."""
    refused: list[str] = []
    answer = world.api.answer

    def noting(method: str, params: dict[str, Any]) -> Any:
        reply = answer(method, params)
        if not json.loads(reply[1])["ok"]:
            refused.append(f"{method} {params.get('message_id')}: {json.loads(reply[1])}")
        return reply

    world.api.answer = noting  # type: ignore[method-assign]
    return refused


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_handed_away_and_carried_on_by_its_supervisor_ends_as_one_card(
    world: World, language: str
) -> None:
    supervisor: Person = world.minh if language == "en" else await quang(world)
    taker = world.lan if language == "en" else world.hoa
    refused = refusals(world)
    case_id = await open_case(supervisor)
    await walk_to_fix(supervisor)
    await hand_over(supervisor, case_id, f"👤 {taker.first_name}")
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(words(supervisor, "button.carry_on"))  # the card comes down here
    await supervisor.send("Re-delivered by van")
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(words(supervisor, "button.carry_on"))  # and down again
    await supervisor.press(words(supervisor, "button.cancel_reason"))
    await supervisor.send("Opened by mistake")

    ended = words(supervisor, "step.cancelled.purpose")
    assert [m.message_id for m in supervisor.messages if ended in m.text] == [
        await world.card_message_id(case_id)
    ]
    assert not refused
