"""A copy of a request whose place in its chat was never written down — the process died
between sending it and recording where it went, or a send that timed out was made again
although Telegram had delivered the first — still ends up saying what became of the request
when its buttons are pressed: by the supervisor who decides on it, and by one who presses
it once someone else has decided.

Before, the supervisor who decided on such a copy kept it reading "Approval needed" (only
its buttons went), as nothing told the bot where it was.
"""

from __future__ import annotations

import pytest

from bot.delivery import Delivery
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, restarted
from tests.bot.test_requests_no_longer_waiting import live, supervisor_thu
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

ASKING = {"en": "Approval needed", "vi": "Cần duyệt"}
YOU_APPROVED = {"en": "You approved the compensation", "vi": "Bạn đã duyệt khoản đền bù"}
ALREADY = {"en": "already been decided", "vi": "đã được quyết định"}
APPROVE = {"en": "Approve", "vi": "Duyệt"}


async def dies_before_recording(self: Delivery) -> None:
    """The copies went out; the process died before writing down where."""
    self.requests_sent = []


async def asked_unrecorded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, dict[str, Person], dict[str, SentMessage]]:
    """Lan asks for an approval; Minh (English) and Thu (Vietnamese) each get a copy, whose
    place nothing wrote down."""
    thu = await supervisor_thu(world)
    with monkeypatch.context() as crash:
        crash.setattr(Delivery, "_note_requests", dies_before_recording)
        case_id = await asking_approval(world.lan)
    assert await world.count("request_copies WHERE message_id <> 0") == 0  # no place known
    copies = {"en": world.minh.last, "vi": thu.last}
    assert all(live(copy) for copy in copies.values())
    return case_id, {"en": world.minh, "vi": thu}, copies


@pytest.mark.parametrize("decider", ["en", "vi"])
async def test_the_copy_decided_on_says_what_was_decided_though_its_place_was_never_recorded(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, decider: str
) -> None:
    case_id, people, copies = await asked_unrecorded(world, monkeypatch)
    async with restarted(world, database_url, people["vi"]):
        await people[decider].press(APPROVE[decider], copies[decider])
        await world.work_done()
        assert (await world.case(case_id)).state == "follow_up"
        copy = copies[decider]
        assert YOU_APPROVED[decider] in copy.plain_text
        assert ASKING[decider] not in copy.plain_text
        assert not live(copy)


@pytest.mark.parametrize("presser", ["en", "vi"])
async def test_a_copy_never_recorded_pressed_once_decided_elsewhere_shows_who_decided(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, presser: str
) -> None:
    _, people, copies = await asked_unrecorded(world, monkeypatch)
    decider = "vi" if presser == "en" else "en"
    async with restarted(world, database_url, people["vi"]):
        await people[decider].press(APPROVE[decider], copies[decider])
        await world.work_done()
        assert live(copies[presser])  # nothing knew where it was
        answers = len(world.api.answers)
        await people[presser].press(APPROVE[presser], copies[presser])
        assert ALREADY[presser] in str(world.api.answers[answers:])
        assert ASKING[presser] not in copies[presser].plain_text
        assert not live(copies[presser])
