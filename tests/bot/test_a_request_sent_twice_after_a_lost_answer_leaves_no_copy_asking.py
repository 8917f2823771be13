"""A request for a decision whose sending timed out after Telegram had delivered it is sent
again, so the supervisor holds two copies and the bot knows where only the second went.
Neither may keep asking once the request is decided: the one decided on says what was
decided, the other says so too (redrawn as every copy is, or when pressed).

Before, a supervisor who decided on the first copy — the one the bot did not know of — kept
it reading "Approval needed", above no buttons.
"""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import TimedOut

from standin.inprocess import Person
from tests.bot.conftest import MINH, World
from tests.bot.test_requests_no_longer_waiting import THU, live, supervisor_thu
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

ASKING = {"en": "Approval needed", "vi": "Cần duyệt"}
YOU_APPROVED = {"en": "You approved the compensation", "vi": "Bạn đã duyệt khoản đền bù"}
APPROVED_BY = {"en": "Thu approved the compensation", "vi": "Minh đã duyệt khoản đền bù"}
APPROVE = {"en": "Approve", "vi": "Duyệt"}


def answer_lost_once(world: World, chat_id: int) -> None:
    """The next message sent to `chat_id` is delivered, and Telegram's answer never comes."""
    telegram = world.api.do_request
    lost = {"left": 1}

    async def delivered_then_timed_out(
        url: str, method: str, request_data: Any = None, **kw: Any
    ) -> Any:
        reply = await telegram(url, method, request_data, **kw)
        chat = str(request_data.parameters.get("chat_id")) if request_data else ""
        if url.endswith("sendMessage") and chat == str(chat_id) and lost["left"]:
            lost["left"] -= 1
            raise TimedOut("the answer was lost on its way back")
        return reply

    world.api.do_request = delivered_then_timed_out  # type: ignore[method-assign]


async def asked_twice(world: World, locale: str) -> tuple[Person, Person]:
    """Lan asks for an approval; the supervisor in `locale` gets it twice, the other once."""
    thu = await supervisor_thu(world)
    twice, other = (world.minh, thu) if locale == "en" else (thu, world.minh)
    answer_lost_once(world, MINH if locale == "en" else THU)
    await asking_approval(world.lan)
    first, second = twice.messages[-2:]
    assert ASKING[locale] in first.plain_text
    assert ASKING[locale] in second.plain_text
    assert live(first)
    assert live(second)
    return twice, other


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_the_copy_nobody_recorded_decided_on_says_so_and_so_does_its_twin(
    world: World, locale: str
) -> None:
    twice, _ = await asked_twice(world, locale)
    first, second = twice.messages[-2:]
    await twice.press(APPROVE[locale], first)
    await world.work_done()
    for copy in (first, second):
        shown = world.api.find_message(twice.chat_id, copy.message_id)
        assert shown is not None
        assert YOU_APPROVED[locale] in shown.plain_text
        assert not live(shown)


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_the_copy_nobody_recorded_says_who_decided_once_pressed(
    world: World, locale: str
) -> None:
    twice, other = await asked_twice(world, locale)
    first, second = twice.messages[-2:]
    await other.press(APPROVE["vi" if locale == "en" else "en"], other.messages[-1])
    await world.work_done()
    assert APPROVED_BY[locale] in second.plain_text  # the copy whose place was recorded
    assert live(first)  # nothing knew where it was
    await twice.press(APPROVE[locale], first)
    assert APPROVED_BY[locale] in first.plain_text
    assert not live(first)
